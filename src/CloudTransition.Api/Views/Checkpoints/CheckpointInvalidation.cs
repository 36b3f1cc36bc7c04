using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Views.Checkpoints;

/// <summary>
/// Every append drops, in its own transaction, the checkpoints of each transition it adds to that lie after its earliest event in event
/// time: a checkpoint holds every event before its instant, so an event reported late makes the later ones wrong. The function also takes the
/// transition's build lock shared (<see cref="ViewSchema"/>), so a checkpoint built at the same time either sees this append or is
/// dropped by it. An append in time order (the usual case) drops nothing.
/// </summary>
public sealed class CheckpointInvalidation : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var earliest = session.PendingChanges.Streams().SelectMany(s => s.Events).Select(e => e.Data).OfType<ITransitionEvent>()
            .GroupBy(e => e.TransitionId).Select(g => (Transition: g.Key, At: g.Min(e => e.OccurredAt)));
        foreach (var (transition, at) in earliest)
            session.QueueSqlCommand($"select {ViewSchema.Invalidate}(?, ?, ?)", session.TenantId, transition, at.ToUniversalTime());
        return Task.CompletedTask;
    }
}
