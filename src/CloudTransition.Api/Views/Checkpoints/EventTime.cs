using System.Collections.Concurrent;
using System.Data;
using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;
using Npgsql;

namespace CloudTransition.Api.Views.Checkpoints;

/// <summary>
/// A transition's events by when they occurred, through the event-time index (<see cref="ViewSchema"/>), and the view as of an instant
/// folded from the last checkpoint before it. PostgreSQL keeps instants to the microsecond, so the queries ask for a millisecond more on each
/// side and the exact bounds are applied here.
/// </summary>
public static class EventTime
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The view as of <paramref name="asOf"/>: the last checkpoint at or before it, the events from the checkpoint's instant to
    /// <paramref name="asOf"/> folded on top, each mailbox they touch starting from its state at the checkpoint (its own few events before
    /// that instant). All read in one snapshot, so the checkpoint and the events agree.
    /// </summary>
    public static async Task<TransitionView> AsOf(IQuerySession session, string id, DateTimeOffset asOf)
    {
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var store = new Reading(connection, session.DocumentStore.Options.Serializer(), session.TenantId, id);
        var checkpoint = await store.LatestCheckpoint(asOf);
        var view = checkpoint?.View ?? new TransitionView { Id = id };
        var mailboxes = checkpoint is null ? [] : await store.MailboxesBefore(checkpoint.At, asOf);
        await foreach (var e in store.Events(checkpoint?.At, asOf)) view.Continue(e, mailboxes);
        await transaction.CommitAsync();
        return view;
    }

    /// <summary>
    /// Every event of the transitions that occurred by <paramref name="until"/>, in no particular order (the fold does not depend on it), streamed
    /// so that 50,000 events are never held at once. Plain SQL rather than Marten's event query: each event is deserialized with the store's
    /// serializer in one synchronous call, where Marten's reader spent most of an as-of read in per-event async plumbing (measured with dotnet-trace).
    /// </summary>
    public static async IAsyncEnumerable<ITransitionEvent> Until(IQuerySession session, IReadOnlyList<string> transitionIds, DateTimeOffset until)
    {
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        var command = new NpgsqlCommand(
            $"select mt_dotnet_type, data from {StoreSchema.Name}.mt_events where tenant_id = $1 and data ->> 'transitionId' = any($2) and {ViewSchema.Instant} <= $3", connection)
        {
            Parameters = { new() { Value = session.TenantId }, new() { Value = transitionIds.ToArray() }, new() { Value = Later(until) } },
        };
        await foreach (var e in Read(command, session.DocumentStore.Options.Serializer()))
            if (e.OccurredAt <= until) yield return e;
    }

    private static DateTimeOffset Later(DateTimeOffset until) => until >= DateTimeOffset.MaxValue - Slack ? DateTimeOffset.MaxValue.ToUniversalTime() : (until + Slack).ToUniversalTime();

    /// <summary>Queries on one connection for one transition of one tenant.</summary>
    public sealed class Reading(NpgsqlConnection connection, ISerializer serializer, string tenant, string transitionId)
    {
        /// <summary>The last checkpoint at or before <paramref name="at"/> (any, when null).</summary>
        public async Task<ViewCheckpoint?> LatestCheckpoint(DateTimeOffset? at)
        {
            await using var command = new NpgsqlCommand(
                $"select data from {StoreSchema.Name}.{ViewCheckpointDocuments.Table} where tenant_id = $1 and transition_id = $2 and at <= $3 order by at desc limit 1", connection)
            {
                Parameters = { new() { Value = tenant }, new() { Value = transitionId }, new() { Value = (at ?? DateTimeOffset.MaxValue).ToUniversalTime() } },
            };
            await using var reader = await command.ExecuteReaderAsync();
            var checkpoint = await reader.ReadAsync() ? serializer.FromJson<ViewCheckpoint>(reader, 0) : null;
            return checkpoint is not null && (at is null || checkpoint.At <= at) ? checkpoint : null;
        }

        /// <summary>The transition's events that occurred from <paramref name="from"/> (from the start, when null) to <paramref name="until"/>, in event time.</summary>
        public async IAsyncEnumerable<ITransitionEvent> Events(DateTimeOffset? from, DateTimeOffset until)
        {
            await foreach (var e in Rows(from, until, null))
                if ((from is null || e.OccurredAt >= from) && e.OccurredAt <= until) yield return e;
        }

        /// <summary>The first events from <paramref name="from"/> in event time, from at most <paramref name="limit"/> rows; <c>More</c> when there may be more.</summary>
        public async Task<(List<ITransitionEvent> Events, bool More)> Page(DateTimeOffset? from, long limit)
        {
            var (events, rows) = (new List<ITransitionEvent>(), 0L);
            await foreach (var e in Rows(from, DateTimeOffset.MaxValue, limit))
            {
                rows++;
                if (from is null || e.OccurredAt >= from) events.Add(e);
            }
            return (events, rows == limit);
        }

        private IAsyncEnumerable<ITransitionEvent> Rows(DateTimeOffset? from, DateTimeOffset until, long? limit)
        {
            var since = from is null ? "" : $"and {ViewSchema.Instant} >= $3 ";
            var command = new NpgsqlCommand(
                $"select mt_dotnet_type, data from {StoreSchema.Name}.mt_events where tenant_id = $1 and data ->> 'transitionId' = $2 {since}" +
                $"and {ViewSchema.Instant} <= $4 order by {ViewSchema.Instant}, seq_id {(limit is null ? "" : $"limit {limit}")}", connection)
            {
                Parameters =
                {
                    new() { Value = tenant }, new() { Value = transitionId },
                    new() { Value = ((from ?? DateTimeOffset.UnixEpoch) - Slack).ToUniversalTime() }, new() { Value = Later(until) },
                },
            };
            return Read(command, serializer);
        }

        /// <summary>
        /// The state at <paramref name="at"/> of each mailbox with an event from <paramref name="at"/> to <paramref name="until"/>: the fold of its
        /// events before <paramref name="at"/>, which is what a checkpoint at that instant counted it as.
        /// </summary>
        public async Task<Dictionary<string, Mailbox>> MailboxesBefore(DateTimeOffset at, DateTimeOffset until)
        {
            await using var command = new NpgsqlCommand(
                $"select mt_dotnet_type, data from {StoreSchema.Name}.mt_events where tenant_id = $1 and {ViewSchema.Instant} < $4 and stream_id in " +
                $"(select stream_id from {StoreSchema.Name}.mt_events where tenant_id = $1 and data ->> 'transitionId' = $2 " +
                $"and {ViewSchema.Instant} >= $3 and {ViewSchema.Instant} <= $5 and stream_id like $6)", connection)
            {
                Parameters =
                {
                    new() { Value = tenant }, new() { Value = transitionId }, new() { Value = (at - Slack).ToUniversalTime() },
                    new() { Value = (at + Slack).ToUniversalTime() }, new() { Value = Later(until) },
                    new() { Value = TransitionStreams.MailboxLikePattern(transitionId) },
                },
            };
            var mailboxes = new Dictionary<string, Mailbox>();
            await foreach (var e in Read(command, serializer))
                if (e.OccurredAt < at && TransitionView.MailboxKey(e) is { } key && Mailbox.Fold(mailboxes.GetValueOrDefault(key), e) is { } folded)
                    mailboxes[key] = folded;
            return mailboxes;
        }
    }

    /// <summary>Reads (type, data) rows as events, each deserialized with the store's serializer in one synchronous call.</summary>
    public static async IAsyncEnumerable<ITransitionEvent> Read(NpgsqlCommand command, ISerializer serializer)
    {
        await using var _ = command;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            if (EventType(reader.GetString(0)) is { } type && serializer.FromJson(type, reader, 1) is ITransitionEvent e)
                yield return e;
    }

    private static readonly ConcurrentDictionary<string, Type?> EventTypes = new();
    private static Type? EventType(string dotnetType) => EventTypes.GetOrAdd(dotnetType, static name => Type.GetType(name));
}
