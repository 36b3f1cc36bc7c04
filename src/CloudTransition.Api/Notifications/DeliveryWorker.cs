using CloudTransition.Api.Common;
using CloudTransition.Api.Webhooks;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Notifications;

/// <summary>
/// Sends the deliveries that are due, oldest first: for each subscription and transition, the pending ones from the oldest on as far
/// as they are all due, so a receiver sees a transition's events in the order they were recorded, and one failing receiver holds up
/// nothing else. One node sends at a time (a PostgreSQL advisory lock); a node killed mid-send leaves its deliveries pending, and
/// they are sent again, with the same `webhook-id`, after a restart.
/// </summary>
public sealed class DeliveryWorker(IDocumentStore store, NotificationSender sender, SecretProtector secrets, DeliverySignal signal, TimeProvider time,
    ILogger<DeliveryWorker> log) : BackgroundService
{
    private const long LockKey = 0x43_54_4E_4F_54_49_46_59; // "CTNOTIFY"
    private const int Batch = 500, InParallel = 8, SaveEvery = 20;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                while (await SendDue(stop) == Batch) { }
            }
            catch (Exception e) when (!stop.IsCancellationRequested) { log.LogWarning(e, "Sending notifications failed; trying again shortly"); }
            try { await signal.Wait(TimeSpan.FromSeconds(1), stop); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Sends what is due now; how many were picked.</summary>
    public async Task<int> SendDue(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!await AdvisoryLock.Take(connection, LockKey, ct)) return 0;
        try
        {
            var due = await Heads(connection, time.GetUtcNow(), ct);
            await Parallel.ForEachAsync(due.GroupBy(d => (d.TenantId, d.SubscriptionId)), new ParallelOptions { MaxDegreeOfParallelism = InParallel, CancellationToken = ct },
                async (group, token) => await SendAll(group.Key.TenantId, group.Key.SubscriptionId, group.ToList(), token));
            return due.Count;
        }
        finally { await AdvisoryLock.Release(connection, LockKey); }
    }

    /// <summary>
    /// Sends a subscription's due deliveries in the order they were recorded; after a failed one, the rest of that transition's wait
    /// (unchanged, still pending) behind it. What was sent is saved every few deliveries, so a node killed mid-run sends at most those again.
    /// </summary>
    private async Task SendAll(string tenant, string subscriptionId, List<NotificationDelivery> deliveries, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenant);
        if (await session.LoadAsync<NotificationSubscription>(subscriptionId, ct) is not { State: SubscriptionState.Active } subscription) return;
        var url = secrets.Unprotect(subscription.ProtectedUrl);
        var held = new HashSet<string>();
        var unsaved = 0;
        foreach (var delivery in deliveries.OrderBy(d => d.Sequence).Where(d => !held.Contains(d.TransitionId)))
        {
            var attempt = await sender.Send(subscription, delivery, url, ct);
            var now = time.GetUtcNow();
            if (attempt.Delivered) DeliveryRules.Succeeded(delivery, subscription, attempt.Status!.Value, attempt.Response, now);
            else
            {
                DeliveryRules.FailedAttempt(delivery, subscription, attempt.Status, attempt.Error, attempt.Response, now);
                held.Add(delivery.TransitionId);
            }
            session.Store(delivery);
            session.Store(subscription);
            if (++unsaved % SaveEvery == 0) await session.SaveChangesAsync(ct);
            if (subscription.State != SubscriptionState.Active) break;
        }
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// For each subscription and transition, its pending deliveries from the oldest on, as far as they are all due: a delivery waiting for
    /// a retry holds back the transition's later ones.
    /// </summary>
    private async Task<List<NotificationDelivery>> Heads(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        var table = $"{StoreSchema.Name}.mt_doc_notification_delivery";
        await using var command = new NpgsqlCommand(
            $"select data from (select data, sequence, bool_and(next_attempt_at <= $1) over (partition by tenant_id, subscription_id, data ->> 'transitionId' " +
            $"order by sequence) as due from {table} where state = 'Pending') pending where due order by sequence limit {Batch}", connection)
        { Parameters = { new() { Value = now } } };
        var serializer = store.Options.Serializer();
        var heads = new List<NotificationDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) heads.Add(serializer.FromJson<NotificationDelivery>(reader, 0));
        return heads;
    }
}
