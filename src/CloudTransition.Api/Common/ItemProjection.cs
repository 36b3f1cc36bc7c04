using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace CloudTransition.Api.Common;

/// <summary>Keeps an item's state inline, in the transaction of its events, with the item's own <c>Fold</c>.</summary>
public class ItemProjection<T>(Func<T?, object, T?> evolve) : SingleStreamProjection<T, string> where T : ItemState
{
    public override T? Evolve(T? snapshot, string id, IEvent e)
    {
        var next = evolve(snapshot, e.Data);
        if (next is not null) (next.Id, next.Version) = (id, (int)e.Version);
        return next;
    }
}

public static class ItemDocuments
{
    /// <summary>Registers an item's state as an inline snapshot, indexed by transition for the lists.</summary>
    public static void AddItemState<T>(this StoreOptions opts, Func<T?, object, T?> evolve, System.Linq.Expressions.Expression<Func<T, object?>>? transitionId = null)
        where T : ItemState
    {
        opts.Projections.Add(new ItemProjection<T>(evolve), ProjectionLifecycle.Inline);
        // A column, not an index on the JSON: a change then touches no indexed value, so PostgreSQL can update the row in place (HOT).
        if (transitionId is not null) opts.Schema.For<T>().Duplicate(transitionId, null, null, TransitionIndex.PerTenant, false, false);
    }
}
