using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views.Checkpoints;
using CloudTransition.Api.Views.Dependencies;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Views;

/// <summary>
/// Reads a transition's view: live, one document load; "as of" an instant, from the last checkpoint before it and the events since
/// (<see cref="EventTime.AsOf"/>). A transition the async view has not reached yet (just started, or during a rebuild) is read as of now
/// the same way: an empty view would list no dependencies and say Exchange can be decommissioned.
/// </summary>
public static class ViewReader
{
    public static async Task<TransitionView?> Read(IQuerySession session, string id, DateTimeOffset? asOf)
    {
        if (asOf is null && await session.LoadAsync<TransitionView>(id) is { } live) return live;
        if (!await session.TransitionExists(id)) return null;
        return await EventTime.AsOf(session, id, asOf ?? DateTimeOffset.MaxValue);
    }

    /// <summary>
    /// As <see cref="Read"/>, but as of an instant with every mailbox's state then (<see cref="TransitionView.FoldedMailboxes"/>), for the lists of
    /// mailboxes: folded from all the transition's events, so its cost grows with them.
    /// </summary>
    public static async Task<TransitionView?> ReadWithMailboxes(IQuerySession session, string id, DateTimeOffset? asOf)
    {
        if (asOf is null && await session.LoadAsync<TransitionView>(id) is { } live) return live;
        if (!await session.TransitionExists(id)) return null;

        var view = TransitionView.Folding(id);
        await foreach (var happened in EventTime.Until(session, [id], asOf ?? DateTimeOffset.MaxValue)) view.Fold(happened);
        return view;
    }

    /// <summary>Several transitions as of an instant (a portfolio page), folded from their events read in one query, not one each.</summary>
    public static async Task<IReadOnlyDictionary<string, TransitionView>> ReadMany(IQuerySession session, IReadOnlyList<string> ids, DateTimeOffset asOf)
    {
        var views = ids.Distinct().ToDictionary(id => id, TransitionView.Folding);
        if (views.Count == 0) return views;
        await foreach (var happened in EventTime.Until(session, [.. views.Keys], asOf))
            if (views.TryGetValue(happened.TransitionId, out var view)) view.Fold(happened);
        return views;
    }

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
