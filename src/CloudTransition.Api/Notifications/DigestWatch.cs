using CloudTransition.Api.Common;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Notifications;

/// <summary>Sends the digests that are due, each minute, on one node at a time (an advisory lock).</summary>
public sealed class DigestWatch(IDocumentStore store, DigestSender sender, TimeProvider time, ILogger<DigestWatch> log) : BackgroundService
{
    private const long LockKey = 0x43_54_44_49_47_45_53_54; // "CTDIGEST"

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                try { await SendDue(stop); }
                catch (Exception e) when (!stop.IsCancellationRequested) { log.LogWarning(e, "Sending digests failed; trying again in a minute"); }
        }
        catch (OperationCanceledException) { }
    }

    private async Task SendDue(CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!await AdvisoryLock.Take(connection, LockKey, ct)) return;
        try
        {
            foreach (var (tenant, id) in await Due(connection, ct))
            {
                await using var session = store.LightweightSession(tenant);
                if (await session.LoadAsync<Digest>(id, ct) is { } digest && digest.NextDueAt <= time.GetUtcNow())
                    if ((await sender.Send(session, digest, ct)).Error is { } error) log.LogWarning("Digest {Digest} of {Tenant} not sent: {Error}", id, tenant, error);
            }
        }
        finally { await AdvisoryLock.Release(connection, LockKey); }
    }

    private async Task<List<(string Tenant, string Id)>> Due(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select tenant_id, id from {StoreSchema.Name}.mt_doc_notification_digest where (data ->> 'nextDueAt')::timestamptz <= $1", connection)
        { Parameters = { new() { Value = time.GetUtcNow() } } };
        var due = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) due.Add((reader.GetString(0), reader.GetString(1)));
        return due;
    }
}
