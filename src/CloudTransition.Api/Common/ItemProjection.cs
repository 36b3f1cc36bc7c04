using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace CloudTransition.Api.Common;

/// <summary>
/// Keeps an item's state inline, in the transaction of its events, with the item's own <c>Fold</c>. The daemon is told which
/// events the fold takes: a fold is a function Marten cannot look into, so it would otherwise hand every projection every event,
/// and a rebuild of the eleven item states would read and deserialise the whole store eleven times.
/// </summary>
public class ItemProjection<T> : SingleStreamProjection<T, string> where T : ItemState
{
    private readonly Func<T?, object, T?> _evolve;

    public ItemProjection(Func<T?, object, T?> evolve, IReadOnlyList<Type> events)
    {
        _evolve = evolve;
        foreach (var type in events) IncludeType(type);
    }

    /// <summary>Whether the event leaves an item that does not exist yet absent: true of every event not in the item's list.</summary>
    public bool Ignores(object e) => _evolve(default, e) is null;

    public override T? Evolve(T? snapshot, string id, IEvent e)
    {
        var next = _evolve(snapshot, e.Data);
        if (next is not null) (next.Id, next.Version) = (id, (int)e.Version);
        return next;
    }
}

public static class ItemDocuments
{
    /// <summary>Registers an item's state as an inline snapshot, indexed by transition for the lists.</summary>
    public static void AddItemState<T>(this StoreOptions opts, Func<T?, object, T?> evolve, IReadOnlyList<Type> events,
        System.Linq.Expressions.Expression<Func<T, object?>>? transitionId = null) where T : ItemState
    {
        opts.Projections.Add(new ItemProjection<T>(evolve, events), ProjectionLifecycle.Inline);
        Index(opts, transitionId);
    }

    /// <summary>
    /// Registers an item's state documents as <see cref="AddItemState{T}"/> lays them out, without the projection: for a store in
    /// which another projection writes them (with the stream's version as the revision, as the projection does).
    /// </summary>
    public static void AddItemStateDocuments<T>(this StoreOptions opts, System.Linq.Expressions.Expression<Func<T, object?>>? transitionId = null)
        where T : ItemState
    {
        opts.Schema.For<T>().UseNumericRevisions(true);
        Index(opts, transitionId);
    }

    // A column, not an index on the JSON: a change then touches no indexed value, so PostgreSQL can update the row in place (HOT).
    private static void Index<T>(StoreOptions opts, System.Linq.Expressions.Expression<Func<T, object?>>? transitionId) where T : ItemState
    {
        if (transitionId is not null) opts.Schema.For<T>().Duplicate(transitionId, null, null, TransitionIndex.PerTenant, false, false);
    }
}
