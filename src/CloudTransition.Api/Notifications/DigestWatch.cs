using CloudTransition.Api.Common;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Notifications;

/// <summary>Sends the digests that are due, each minute, on one node at a time (<see cref="SingleNodeJob"/>).</summary>
public sealed class DigestWatch(IDocumentStore store, DigestSender sender, TimeProvider time, ILogger<DigestWatch> log) : SingleNodeJob(store, log)
{
    protected override long LockKey => 0x43_54_44_49_47_45_53_54; // "CTDIGEST"
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override async Task Run(NpgsqlConnection connection, CancellationToken ct)
    {
        foreach (var (tenant, id) in await Due(connection, ct))
        {
            await using var session = Store.LightweightSession(tenant);
            if (await session.LoadAsync<Digest>(id, ct) is { } digest && digest.NextDueAt <= time.GetUtcNow())
                if ((await sender.Send(session, digest, ct)).Error is { } error) Log.LogWarning("Digest {Digest} of {Tenant} not sent: {Error}", id, tenant, error);
        }
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
