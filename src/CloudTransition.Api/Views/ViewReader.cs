using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Views;

/// <summary>Reads a transition's view: live, one document load; "as of" an instant, folded from the events that had happened by then.</summary>
public static class ViewReader
{
    public static async Task<TransitionView?> Read(IQuerySession session, string id, DateTimeOffset? asOf)
    {
        if (asOf is null)
            return await session.LoadAsync<TransitionView>(id) ?? (await session.TransitionExists(id) ? new TransitionView { Id = id } : null);
        if (!await session.TransitionExists(id)) return null;

        var prefix = TransitionStreams.Prefix(id);
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == id || e.StreamKey!.StartsWith(prefix))
            .OrderBy(e => e.Sequence).ToListAsync();
        var happened = events.Select(e => e.Data).OfType<ITransitionEvent>().Where(e => e.OccurredAt <= asOf)
            .OrderBy(e => e.OccurredAt);
        return TransitionView.Fold(id, happened);
    }

    /// <summary>The mailboxes still on-premises: from the fold when the view was folded, else their documents (only the fields the list shows).</summary>
    public static async Task<IReadOnlyList<RemainingMailbox>> RemainingMailboxes(IQuerySession session, TransitionView view) =>
        view.FoldedMailboxes is { } folded
            ? RemainingMailbox.Among(folded.Values)
            : await session.Query<MailboxItem>().Where(m => m.TransitionId == view.Id && m.IsDependency)
                .Select(m => new RemainingMailbox(m.Address, m.Status, m.Error)).ToListAsync();
}

/// <summary>A mailbox still on-premises, as the dependency list shows it.</summary>
public record RemainingMailbox(string Address, MoveStatus Status, string? Error)
{
    public static IReadOnlyList<RemainingMailbox> Among(IEnumerable<MailboxItem> mailboxes) =>
        mailboxes.Where(m => m.IsDependency).Select(m => new RemainingMailbox(m.Address, m.Status, m.Error)).ToList();
}
