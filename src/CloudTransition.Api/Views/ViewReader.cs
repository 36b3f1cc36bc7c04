using CloudTransition.Api.Hosting;
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

        // Every stream of the transition by key, so that PostgreSQL reads them through the stream index rather than
        // scanning every event of the store for the key prefix; streamed, so 50,000 events are never held at once.
        // The fold does not depend on the order events come in.
        var view = TransitionView.Folding(id);
        var streams = (await StreamsOf(session, id)).ToArray();
        await foreach (var e in session.Events.QueryAllRawEvents().Where(e => streams.Contains(e.StreamKey!)).ToAsyncEnumerable())
            if (e.Data is ITransitionEvent happened && happened.OccurredAt <= asOf) view.Fold(happened);
        return view;
    }

    private static Task<IReadOnlyList<string>> StreamsOf(IQuerySession session, string id)
    {
        var items = TransitionStreams.Prefix(id).Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        return session.AdvancedSql.QueryAsync<string>(
            $"select id from {EventStore.Schema}.mt_streams where tenant_id = ? and (id = ? or id like ?)", CancellationToken.None, session.TenantId, id, items);
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
