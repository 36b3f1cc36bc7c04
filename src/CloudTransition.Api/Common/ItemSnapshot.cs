using Marten;

namespace CloudTransition.Api.Common;

/// <summary>
/// The inline snapshot of one item stream (a device, a component, a case…). Endpoints answer the state after
/// their event with <see cref="After"/>: Marten 9 tracks the fetched instance and applies the appended events
/// to it itself, so an endpoint must never mutate it.
/// </summary>
public abstract class ItemSnapshot<TSelf> where TSelf : ItemSnapshot<TSelf>
{
    public string Id { get; set; } = "";
    public int Version { get; set; }

    /// <summary>This state as the first of the stream <paramref name="key"/>.</summary>
    public TSelf First(string key)
    {
        (Id, Version) = (key, 1);
        return (TSelf)this;
    }

    /// <summary>A copy with one more event applied through the type's own public Apply method.</summary>
    public TSelf After(object e)
    {
        var next = (TSelf)MemberwiseClone();
        var apply = typeof(TSelf).GetMethod("Apply", [e.GetType()])
            ?? throw new InvalidOperationException($"{typeof(TSelf).Name} has no Apply({e.GetType().Name})");
        apply.Invoke(next, [e]);
        next.Version++;
        return next;
    }
}

public static class ItemStreams
{
    /// <summary>Starts an item's stream with its first event and answers the snapshot it will have.</summary>
    public static T StartItem<T>(this IDocumentSession session, string key, object first, T created) where T : ItemSnapshot<T>
    {
        session.Events.StartStream<T>(key, first);
        return created.First(key);
    }
}
