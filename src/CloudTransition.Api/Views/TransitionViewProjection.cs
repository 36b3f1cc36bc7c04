using CloudTransition.Contracts;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace CloudTransition.Api.Views;

/// <summary>
/// Async, not inline: every item of a transition has its own stream so that concurrent appends never contend,
/// but this view gathers all of them into one document per transition; inline, two concurrent appends would each
/// load, change and store that document and one change would be lost. The async daemon applies events one
/// sequence at a time, on one node (Wolverine's managed distribution), so nothing is lost or counted twice.
/// </summary>
public partial class TransitionViewProjection : MultiStreamProjection<TransitionView, string>
{
    public TransitionViewProjection() => Identity<ITransitionEvent>(e => e.TransitionId);

    public override TransitionView? Evolve(TransitionView? snapshot, string id, IEvent e)
    {
        if (e.Data is not ITransitionEvent data) return snapshot;
        snapshot ??= new TransitionView { Id = id };
        snapshot.Record(data);
        return snapshot;
    }
}

public static class ViewDocuments
{
    public static void AddViewDocuments(this StoreOptions opts) =>
        opts.Projections.Add<TransitionViewProjection>(ProjectionLifecycle.Async, o =>
        {
            // Views are large (one per transition): apply more events per load-and-store, and keep hot views in memory between batches.
            o.BatchSize = 2000;
            o.CacheLimitPerTenant = 200;
        });
}
