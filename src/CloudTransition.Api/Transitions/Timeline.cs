using Microsoft.Extensions.Options;
using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

/// <summary>One recorded event: the item it is about (its URL), what happened (occurredAt), when the store learnt it (recordedAt) and who told it (actor).</summary>
/// <param name="Sequence">The event's place in the store (use as `after`).</param>
/// <param name="Item">The item's URL.</param>
/// <param name="Version">The event's version within its item.</param>
/// <param name="Type">The event type (`mailbox-moved`, …).</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="RecordedAt">When the store recorded it.</param>
/// <param name="Data">The event as recorded.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="Headers">Where it came from (`source`) and who recorded it (`key`, `actor-*`).</param>
/// <param name="Actor">The API key, or the person or application signed in with an identity provider, that recorded it; null for webhooks and the service's own events.</param>
public record TimelineEntry(long Sequence, string Item, long Version, string Type, DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt, object Data, string? CorrelationId, IDictionary<string, object>? Headers, Security.Actor? Actor);

/// <summary>A page of the timeline; pass `next` as `after` for the following page (null at the end).</summary>
public record TimelinePage(IReadOnlyList<TimelineEntry> Items, long? Next);

public static class TimelineEndpoint
{
    public const int MaxLimit = 1000;

    [Tags("Transitions")]
    [WolverineGet("/api/transitions/{id}/timeline", OperationId = "getTimeline", Summary = "Read a transition's events",
        Description = "Every event of the transition and its items in the order they were recorded, paged by `after` (a sequence) and `limit` (1–1000, default 100). " +
                      "With `Accept: text/csv` or `format=csv`: every event after `after` as a CSV file (its data as JSON, then who recorded it), streamed.")]
    public static async Task<Results<Ok<TimelinePage>, CsvFile, ProblemHttpResult>> Get(string id, IQuerySession session, long? after, int? limit, string? format,
        HttpRequest http, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time)
    {
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        if (limit is < 1 or > MaxLimit) return Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        if (after is < 0) return Problem.Invalid("after", "after must not be negative.");
        if (await session.LoadAsync<Transition>(id) is not { } transition) return Problem.TransitionNotFound(id);
        var prefix = TransitionStreams.Prefix(id);
        var start = after ?? 0;
        if (CsvFile.Wanted(http, format))
        {
            var all = session.Events.QueryAllRawEvents()
                .Where(e => (e.StreamKey == id || e.StreamKey!.StartsWith(prefix)) && e.Sequence > start)
                .OrderBy(e => e.Sequence).ToAsyncEnumerable();
            return CsvFile.Of(transition.Organisation, "timeline", time.GetUtcNow(),
                ["sequence", "item", "version", "type", "occurredAt", "recordedAt", "correlationId", "data", "actor"], all,
                e => [e.Sequence, TransitionStreams.Url(e.StreamKey!), e.Version, e.EventTypeName.Replace('_', '-'), ((Contracts.ITransitionEvent)e.Data).OccurredAt,
                    e.Timestamp, e.CorrelationId, System.Text.Json.JsonSerializer.Serialize(e.Data, e.Data.GetType(), json.Value.SerializerOptions),
                    Security.Actors.FromHeaders(e.Headers)?.ToString()]);
        }

        var take = limit ?? 100;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => (e.StreamKey == id || e.StreamKey!.StartsWith(prefix)) && e.Sequence > start)
            .OrderBy(e => e.Sequence).Take(take + 1).ToListAsync();

        var items = events.Take(take).Select(e => new TimelineEntry(e.Sequence, TransitionStreams.Url(e.StreamKey!), e.Version,
            e.EventTypeName.Replace('_', '-'), ((Contracts.ITransitionEvent)e.Data).OccurredAt, e.Timestamp, e.Data,
            e.CorrelationId, e.Headers, Security.Actors.FromHeaders(e.Headers))).ToList();
        return TypedResults.Ok(new TimelinePage(items, events.Count > take ? items[^1].Sequence : null));
    }
}
