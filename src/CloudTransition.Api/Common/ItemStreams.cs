using Marten;

namespace CloudTransition.Api.Common;

public static class ItemStreams
{
    /// <summary>Starts an item's stream with its first event and answers the state it will have.</summary>
    public static T StartItem<T>(this IDocumentSession session, string key, object first, Func<T?, object, T?> evolve) where T : ItemState
    {
        session.Events.StartStream<T>(key, first);
        return (T)((ItemState)evolve(null, first)! with { Id = key, Version = 1 });
    }

    /// <summary>The state after one more event, as the store will fold it.</summary>
    public static T Then<T>(this T state, object e, Func<T?, object, T?> evolve) where T : ItemState =>
        (T)((ItemState)evolve(state, e)! with { Version = state.Version + 1 });
}
