using System.Collections.Concurrent;
using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views.Dependencies;
using CloudTransition.Contracts;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Views;

/// <summary>
/// Reads a transition's view: live, one document load; "as of" an instant, folded from the events that had happened by
/// then. A transition the async view has not reached yet (just started, or during a rebuild) is folded from its
/// events too: an empty view would list no dependencies and say Exchange can be decommissioned.
/// </summary>
public static class ViewReader
{
    public static async Task<TransitionView?> Read(IQuerySession session, string id, DateTimeOffset? asOf)
    {
        if (asOf is null && await session.LoadAsync<TransitionView>(id) is { } live) return live;
        if (!await session.TransitionExists(id)) return null;

        var view = TransitionView.Folding(id);
        await foreach (var happened in EventsOf(session, [id]))
            if (asOf is null || happened.OccurredAt <= asOf) view.Fold(happened);
        return view;
    }

    /// <summary>Several transitions as of an instant (a portfolio page), folded from their events read in one query, not one each.</summary>
    public static async Task<IReadOnlyDictionary<string, TransitionView>> ReadMany(IQuerySession session, IReadOnlyList<string> ids, DateTimeOffset asOf)
    {
        var views = ids.Distinct().ToDictionary(id => id, TransitionView.Folding);
        if (views.Count == 0) return views;
        await foreach (var happened in EventsOf(session, [.. views.Keys]))
            if (happened.OccurredAt <= asOf && views.TryGetValue(happened.TransitionId, out var view)) view.Fold(happened);
        return views;
    }

    /// <summary>
    /// Every event of the transitions' streams, in no particular order (the fold does not depend on it), streamed so
    /// that 50,000 events are never held at once. Plain SQL rather than Marten's event query: the streams are found
    /// by key (so PostgreSQL reads them through the stream index instead of scanning every event of the store for
    /// the key prefix), and each event is deserialized with the store's serializer in one synchronous call, where
    /// Marten's reader spent most of an as-of read in per-event async plumbing (measured with dotnet-trace).
    /// </summary>
    private static async IAsyncEnumerable<ITransitionEvent> EventsOf(IQuerySession session, IReadOnlyList<string> ids)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        // One transition: its key and prefix as plain values, which PostgreSQL plans through the stream index; several: arrays of them.
        var streams = ids.Count == 1 ? "id = $2 or id like $3" : "id = any($2) or id like any($3)";
        await using var command = new NpgsqlCommand(
            $"select mt_dotnet_type, data from {StoreSchema.Name}.mt_events where tenant_id = $1 and stream_id = any(array(" +
            $"select id from {StoreSchema.Name}.mt_streams where tenant_id = $1 and ({streams})))", connection)
        {
            Parameters =
            {
                new() { Value = session.TenantId },
                ids.Count == 1 ? new() { Value = ids[0] } : new() { Value = ids.ToArray() },
                ids.Count == 1 ? new() { Value = Like(TransitionStreams.Prefix(ids[0])) } : new() { Value = ids.Select(i => Like(TransitionStreams.Prefix(i))).ToArray() },
            },
        };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            if (EventType(reader.GetString(0)) is { } type && serializer.FromJson(type, reader, 1) is ITransitionEvent e)
                yield return e;
    }

    private static string Like(string prefix) => prefix.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";

    private static readonly ConcurrentDictionary<string, Type?> EventTypes = new();
    private static Type? EventType(string dotnetType) => EventTypes.GetOrAdd(dotnetType, static name => Type.GetType(name));

    /// <summary>
    /// How many mailboxes are still on-premises as of <paramref name="at"/>, and what the first <paramref name="take"/> after
    /// <paramref name="after"/> (by address) keep there: from the fold when the view was folded, else from their entries, counted and
    /// paged by PostgreSQL (the partial index holds just these), reading only the fields the list shows; whether a move may be
    /// stalled comes from the view's tally of such moves, not from each entry (every field read from an entry copies its state once).
    /// </summary>
    public static async Task<RemainingMailboxes> RemainingMailboxes(IQuerySession session, TransitionView view, DateTimeOffset at, string? after, int take)
    {
        var reading = view.Reading(at);
        if (view.FoldedMailboxes is { } folded)
        {
            var remaining = folded.Values.Where(m => m.IsDependency).ToList();
            return new(remaining.Count, remaining.Where(m => after is null || string.CompareOrdinal(m.Address, after) > 0).OrderBy(m => m.Address, StringComparer.Ordinal)
                .Take(take).Select(m => m.Line.Dependency(reading)).ToList());
        }
        var query = session.Query<MailboxEntry>().Where(m => m.TransitionId == view.Id && m.IsDependency);
        var count = await query.CountAsync();
        if (after is not null) query = query.Where(m => string.Compare(m.Mailbox.Address, after) > 0);
        var page = take == 0 ? [] : await query.OrderBy(m => m.Mailbox.Address).Take(take)
            .Select(m => new { m.Mailbox.Address, m.Mailbox.Status, m.Mailbox.Error, m.Mailbox.WaveId }).ToListAsync();
        var stallable = view.Mailboxes.Stallable;
        return new(count, page.Select(m => new MailboxLine(m.Address, m.Status, m.Error, m.WaveId, stallable.GetValueOrDefault(m.Address)?.Clock).Dependency(reading)).ToList());
    }

    /// <summary>Every mailbox still on-premises as of <paramref name="at"/>, by address, streamed from the store (an export of 100,000 is never held at once).</summary>
    public static async IAsyncEnumerable<DependencyItem> AllRemainingMailboxes(IQuerySession session, TransitionView view, DateTimeOffset at)
    {
        var reading = view.Reading(at);
        if (view.FoldedMailboxes is { } folded)
        {
            foreach (var m in folded.Values.Where(m => m.IsDependency).OrderBy(m => m.Address, StringComparer.Ordinal)) yield return m.Line.Dependency(reading);
            yield break;
        }
        var stallable = view.Mailboxes.Stallable;
        var rows = session.Query<MailboxEntry>().Where(m => m.TransitionId == view.Id && m.IsDependency).OrderBy(m => m.Mailbox.Address)
            .Select(m => new { m.Mailbox.Address, m.Mailbox.Status, m.Mailbox.Error, m.Mailbox.WaveId }).ToAsyncEnumerable();
        await foreach (var m in rows)
            yield return new MailboxLine(m.Address, m.Status, m.Error, m.WaveId, stallable.GetValueOrDefault(m.Address)?.Clock).Dependency(reading);
    }
}
