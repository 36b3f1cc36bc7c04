using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views;
using CloudTransition.Contracts;
using JasperFx;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Alerts;

/// <summary>
/// Evaluates every transition's alerts (<see cref="AlertRules"/>) each interval — a wave becomes late by the clock alone — and records
/// those that became true (<see cref="AlertRaised"/>) or stopped being true (<see cref="AlertCleared"/>) on the transition's stream. The open
/// alerts are kept on the transition's inline state and the append is checked against its version, so an occurrence is recorded once
/// even when two nodes evaluate at once; one node evaluates at a time anyway (<see cref="SingleNodeJob"/>).
/// </summary>
public sealed class AlertWatch(IDocumentStore store, AlertOptions options, TimeProvider time, ILogger<AlertWatch> log) : SingleNodeJob(store, log)
{
    protected override long LockKey => 0x43_54_41_4C_45_52_54_53; // "CTALERTS"
    protected override TimeSpan Interval => options.Interval;

    protected override async Task Run(NpgsqlConnection connection, CancellationToken ct)
    {
        foreach (var (tenant, id) in await Unfinished(connection, ct)) await Evaluate(tenant, id, ct);
    }

    private async Task Evaluate(string tenant, string id, CancellationToken ct)
    {
        await using var session = Store.LightweightSession(tenant);
        if (await ViewReader.Read(session, id, null) is not { } view) return;
        var now = time.GetUtcNow();
        var alerts = AlertRules.Of(view, now, options).DistinctBy(a => a.Key).ToDictionary(a => a.Key);
        var stream = await session.Events.FetchForWriting<Transition>(id, ct);
        var open = stream.Aggregate?.OpenAlerts ?? [];
        var raised = alerts.Values.Where(a => !open.Contains(a.Key)).Select(a => (object)new AlertRaised(id, a.Kind, a.Subject, a.Detail, now));
        var cleared = open.Where(key => !alerts.ContainsKey(key)).Select(key => key.Split('|', 2)).Select(k => (object)new AlertCleared(id, k[0], k[1], now));
        var changes = raised.Concat(cleared).ToList();
        if (changes.Count == 0) return;
        stream.AppendMany(changes);
        try { await session.SaveChangesAsync(ct); }
        catch (ConcurrencyException) { } // the transition changed meanwhile: evaluated again at the next interval
    }

    /// <summary>Every transition not completed, of every tenant.</summary>
    private static async Task<List<(string Tenant, string Id)>> Unfinished(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select tenant_id, id from {StoreSchema.Name}.mt_doc_transition where coalesce(data ->> 'phase', '') <> 'Completed'", connection);
        var found = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add((reader.GetString(0), reader.GetString(1)));
        return found;
    }
}
