using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;

namespace CloudTransition.Api.Common;

/// <summary>
/// Streams fetched for writing ahead of the commands that append to them, many in one round trip: a webhook batch
/// moving 100 mailboxes fetches them together instead of one after the other. A command takes its stream from here
/// once, else fetches it itself, so it behaves the same either way.
/// </summary>
public static class StreamsAhead
{
    private static readonly ConditionalWeakTable<IDocumentSession, Dictionary<string, object>> Fetched = new();

    public static async Task FetchAhead<T>(this IDocumentSession session, IReadOnlyCollection<string> keys) where T : class
    {
        if (keys.Count < 2) return;
        var batch = session.CreateBatchQuery();
        var fetching = keys.Select(key => (key, Stream: batch.Events.FetchForWriting<T>(key))).ToList();
        await batch.Execute();
        var fetched = Fetched.GetOrCreateValue(session);
        foreach (var (key, stream) in fetching) fetched[key] = await stream;
    }

    /// <summary>The stream fetched ahead under this key (taken, so only the first command gets it), else fetched now.</summary>
    public static async Task<IEventStream<T>> StreamForWriting<T>(this IDocumentSession session, string key) where T : class =>
        Fetched.TryGetValue(session, out var fetched) && fetched.Remove(key, out var stream)
            ? (IEventStream<T>)stream
            : await session.Events.FetchForWriting<T>(key);
}
