namespace CloudTransition.Api.Common;

public static class ItemStreams
{
    /// <summary>The state after one more event, as the store will fold it (a new item's first event gives version 1).</summary>
    public static T After<T>(this T? state, string key, object e, Func<T?, object, T?> fold) where T : ItemState =>
        (T)((ItemState)fold(state, e)! with { Id = key, Version = (state?.Version ?? 0) + 1 });
}
