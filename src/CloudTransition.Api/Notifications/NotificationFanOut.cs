using System.Text.Json;
using CloudTransition.Api.Common;
using CloudTransition.Api.Webhooks;
using CloudTransition.Contracts;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;
using Marten.Subscriptions;

namespace CloudTransition.Api.Notifications;

/// <summary>
/// Follows the event store in order (Marten's async daemon, one node at a time) and sends each page's events to the subscriptions that
/// want them: each transition's in order, transitions and subscriptions side by side. Every outcome is logged as a delivery, written in
/// the transaction that moves the fan-out past the page: a node killed mid-page sends the page again (same `webhook-id`s), none is lost.
/// What cannot be sent now — a failed attempt and the transition's later events behind it, a subscription that is failing, whatever is
/// left when the page's time is up — is written as a pending delivery for <see cref="DeliveryWorker"/>, which retries in order.
/// Sending here, not queueing every event for the worker, is what keeps fan-out from slowing ingestion: a delivery that succeeds is one
/// insert, where a queue costs an insert, an update and a scan of the queue. And while automation sends faster than the service
/// records, a page waits (<see cref="IngestionFirst"/>): on a machine whose cores the recording fills, five POSTs per event would
/// otherwise take a third of its rate.
/// </summary>
public class NotificationFanOut : SubscriptionBase
{
    /// <summary>How long a page may keep starting sends to one subscription; a slow receiver's rest goes to the worker.</summary>
    public static readonly TimeSpan SendingTime = TimeSpan.FromSeconds(2);
    private const int InParallel = 8;
    private readonly JsonSerializerOptions _json;
    private readonly DeliverySignal _worker;
    private readonly TimeProvider _time;
    private readonly NotificationOptions _options;
    private readonly IngestionTurns _ingestion;
    // Resolved when first needed: both reach Data Protection, whose key ring is stored with Marten, which is being built when this is.
    private readonly Lazy<NotificationSender> _sender;
    private readonly Lazy<SecretProtector> _secrets;

    public NotificationFanOut(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, DeliverySignal worker,
        TimeProvider time, NotificationOptions options, IngestionTurns ingestion, IServiceProvider services)
    {
        (_json, _worker, _time, _options, _ingestion) = (json.Value.SerializerOptions, worker, time, options, ingestion);
        _sender = new(services.GetRequiredService<NotificationSender>);
        _secrets = new(services.GetRequiredService<SecretProtector>);
        Name = "Notifications";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        var events = page.Events.Where(e => e.Data is ITransitionEvent && NotificationTypes.Of(e.Data) is not null).ToList();
        if (events.Count == 0) return NullChangeListener.Instance;
        var subscriptions = await operations.Query<NotificationSubscription>().Where(s => s.AnyTenant() && s.State == SubscriptionState.Active)
            .ToListAsync(cancellationToken);
        var payloads = new Dictionary<long, string>();
        string Payload(IEvent e) => payloads.TryGetValue(e.Sequence, out var json) ? json : payloads[e.Sequence] = JsonSerializer.Serialize(e.Data, e.Data.GetType(), _json);
        var wanted = subscriptions.Select(s => (Subscription: s, Deliveries: Wanted(s, events, Payload))).Where(w => w.Deliveries.Count > 0).ToList();
        if (wanted.Count == 0) return NullChangeListener.Instance;

        await YieldToIngestion(events, cancellationToken);
        var waiting = await Waiting(operations, cancellationToken);
        var outcomes = await Task.WhenAll(wanted.Select(w => Send(w.Subscription, w.Deliveries, waiting, cancellationToken)));
        Log(operations, outcomes.SelectMany(o => o.Deliveries).ToList());
        foreach (var outcome in outcomes) Record(operations, outcome);
        return outcomes.Any(o => o.Deliveries.Any(d => d.State == DeliveryState.Pending)) ? new WakeWorker(_worker) : NullChangeListener.Instance;
    }

    private async Task YieldToIngestion(IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var left = IngestionFirst.WaitLeft(events.Min(e => e.Timestamp), _time.GetUtcNow(), _options.IngestionFirstFor);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); _ingestion.AllTaken && waited.Elapsed < left;) await Task.Delay(IngestionPause, ct);
    }

    private static readonly TimeSpan IngestionPause = TimeSpan.FromMilliseconds(20);

    private static List<NotificationDelivery> Wanted(NotificationSubscription s, IReadOnlyList<IEvent> events, Func<IEvent, string> payload) =>
        events.Where(e => e.TenantId == s.TenantId && e.Sequence > s.AfterSequence)
            .Select(e => (Event: e, Type: NotificationTypes.Of(e.Data)!, TransitionId: ((ITransitionEvent)e.Data).TransitionId))
            .Where(e => s.Wants(e.Type, e.TransitionId))
            .Select(e => Queued(s, e.Event, e.Type, e.TransitionId, payload(e.Event))).ToList();

    private sealed record Outcome(NotificationSubscription Subscription, IReadOnlyList<NotificationDelivery> Deliveries);

    /// <summary>
    /// Sends one subscription's deliveries of the page: a transition with deliveries still waiting at the worker, or whose send just
    /// failed, keeps the rest of its deliveries pending behind them, in order.
    /// </summary>
    private async Task<Outcome> Send(NotificationSubscription s, List<NotificationDelivery> deliveries, IReadOnlySet<(string, string)> waiting, CancellationToken ct)
    {
        // A failing receiver is left to the worker's retries and their schedule.
        if (s.FailingSince is not null) return new Outcome(s, deliveries);
        var url = _secrets.Value.Unprotect(s.ProtectedUrl);
        var until = _time.GetUtcNow() + SendingTime;
        await Parallel.ForEachAsync(deliveries.GroupBy(d => d.TransitionId), new ParallelOptions { MaxDegreeOfParallelism = InParallel, CancellationToken = ct },
            async (transition, token) =>
            {
                var held = waiting.Contains((s.Id, transition.Key));
                foreach (var delivery in transition)
                {
                    if (held || _time.GetUtcNow() > until) { held = true; continue; }
                    var attempt = await _sender.Value.Send(s, delivery, url, token);
                    var now = _time.GetUtcNow();
                    if (attempt.Delivered) DeliveryRules.Delivered(delivery, attempt.Status!.Value, attempt.Response, now);
                    else
                    {
                        DeliveryRules.Retrying(delivery, attempt.Status, attempt.Error, attempt.Response, now);
                        held = true;
                    }
                }
            });
        return new Outcome(s, deliveries);
    }

    /// <summary>
    /// Logs the page's deliveries in one statement, as the documents Marten would store (read back through Marten): one insert of
    /// a page's thousands of rows costs PostgreSQL a fraction of as many single-row statements. A page sent again after a node was
    /// killed never committed its log, so nothing conflicts; a conflict would be the same delivery, and is left as it is.
    /// </summary>
    private static void Log(IDocumentOperations operations, IReadOnlyList<NotificationDelivery> deliveries)
    {
        var serializer = operations.DocumentStore.Options.Serializer();
        // A JSON array of the page would be one string of megabytes (the large-object heap, zeroed on every page); an array of documents is not.
        var json = deliveries.Select(serializer.ToJson).ToArray();
        operations.QueueSqlCommand(
            $"insert into {StoreSchema.Name}.mt_doc_notification_delivery (tenant_id, id, data, mt_dotnet_type, subscription_id, sequence, state, next_attempt_at) " +
            "select d ->> 'tenantId', d ->> 'id', d, ?, d ->> 'subscriptionId', (d ->> 'sequence')::bigint, d ->> 'state', (d ->> 'nextAttemptAt')::timestamptz " +
            "from unnest(?::jsonb[]) d on conflict (tenant_id, id) do nothing", typeof(NotificationDelivery).FullName!, json);
    }

    /// <summary>What the subscription's state learnt from the page: when it last delivered, since when it fails.</summary>
    private static void Record(IDocumentOperations operations, Outcome outcome)
    {
        var (s, deliveries) = outcome;
        var table = $"{StoreSchema.Name}.mt_doc_notification_subscription";
        if (deliveries.Where(d => d.DeliveredAt is not null).Max(d => d.DeliveredAt) is { } delivered)
            operations.QueueSqlCommand($"update {table} set data = jsonb_set(data, '{{lastDeliveredAt}}', to_jsonb(?::timestamptz)) where id = ?", delivered, s.Id);
        // Only if still unset: the worker may have learnt of an earlier failure meanwhile.
        if (deliveries.Where(d => d.Attempts > 0 && d.DeliveredAt is null).Min(d => d.LastAttemptAt) is { } failed)
            operations.QueueSqlCommand($"update {table} set data = jsonb_set(data, '{{failingSince}}', to_jsonb(?::timestamptz)) where id = ? and data ->> 'failingSince' is null",
                failed, s.Id);
    }

    /// <summary>The subscriptions' transitions that have deliveries waiting at the worker: their next events wait behind those.</summary>
    private static async Task<IReadOnlySet<(string, string)>> Waiting(IDocumentOperations operations, CancellationToken ct)
    {
        var rows = await operations.AdvancedSql.QueryAsync<string>(
            $"select distinct subscription_id || '/' || (data ->> 'transitionId') from {StoreSchema.Name}.mt_doc_notification_delivery where state = 'Pending'", ct);
        return rows.Select(r => r.Split('/', 2)).Select(r => (r[0], r[1])).ToHashSet();
    }

    private static NotificationDelivery Queued(NotificationSubscription s, IEvent e, string type, string transitionId, string payload) => new()
    {
        Id = $"{s.Id}-{e.Sequence}", TenantId = e.TenantId, SubscriptionId = s.Id, TransitionId = transitionId, Sequence = e.Sequence, Type = type, Timestamp = e.Timestamp,
        Data = payload, State = DeliveryState.Pending, NextAttemptAt = e.Timestamp,
    };

    private sealed class WakeWorker(DeliverySignal worker) : IChangeListener
    {
        public Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            worker.Wake();
            return Task.CompletedTask;
        }

        public Task BeforeCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;
    }
}
