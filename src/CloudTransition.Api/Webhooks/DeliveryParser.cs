using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudTransition.Api.Webhooks;

/// <summary>One event of a webhook payload: `{type, transitionId, occurredAt?, data}`.</summary>
public record WebhookEnvelope(string Type, string TransitionId, JsonObject Data);

/// <summary>One event, as automation sends it (documents the body; the parser reads the raw JSON).</summary>
/// <param name="Type">The event type, e.g. `mailbox.moved`.</param>
/// <param name="TransitionId">The transition it is about.</param>
/// <param name="OccurredAt">When it happened; the default of `data.occurredAt`.</param>
/// <param name="Data">The matching endpoint's body plus what its route names (`address`, `deviceId`, …).</param>
public record WebhookEventBody(string Type, string TransitionId, DateTimeOffset? OccurredAt, JsonObject Data);

/// <summary>A batch of 1 to 1,000 events, all or nothing.</summary>
/// <param name="Events">The events, run in order.</param>
public record WebhookBatchBody(IReadOnlyList<WebhookEventBody> Events);

public record ParsedDelivery(IReadOnlyList<WebhookEnvelope> Events, Dictionary<string, string[]> Errors);

/// <summary>Reads a single event or a batch `{events: [...]}` of at most 1,000; the envelope's occurredAt becomes the command's default.</summary>
public static class DeliveryParser
{
    public const int MaxEvents = 1000;
    private static readonly string[] EnvelopeFields = ["type", "transitionId", "occurredAt", "data"];

    public static ParsedDelivery Parse(byte[] body)
    {
        var errors = new Dictionary<string, string[]>();
        JsonNode? root;
        try { root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }); }
        catch (JsonException e) { return Fail("body", $"The body is not valid JSON: {e.Message}"); }
        if (root is not JsonObject payload) return Fail("body", "Send an event object or {\"events\": [...]}.");

        var batch = payload["events"];
        if (batch is not null && payload.Count > 1)
            return Fail(payload.First(p => p.Key != "events").Key, "A batch is {\"events\": [...]} and nothing else.");
        var items = batch switch
        {
            null => [(payload, "")],
            JsonArray array => array.Select((e, i) => (e as JsonObject, $"events[{i}].")).ToList(),
            _ => null,
        };
        if (items is null) return Fail("events", "events must be an array.");
        if (items.Count is 0 or > MaxEvents) return Fail("events", $"A batch holds 1 to {MaxEvents} events; got {items.Count}.");

        var events = new List<WebhookEnvelope>();
        foreach (var (item, prefix) in items)
            if (Envelope(item, prefix, errors) is { } envelope) events.Add(envelope);
        return new ParsedDelivery(events, errors);
    }

    private static WebhookEnvelope? Envelope(JsonObject? item, string prefix, Dictionary<string, string[]> errors)
    {
        if (item is null) { errors[prefix.TrimEnd('.')] = ["Each event must be an object."]; return null; }
        var before = errors.Count;
        foreach (var (name, _) in item.Where(p => !EnvelopeFields.Contains(p.Key)))
            errors[$"{prefix}{name}"] = [$"'{name}' is not a field of an event; an event has {string.Join(", ", EnvelopeFields)}."];
        var type = Text(item, "type");
        var transitionId = Text(item, "transitionId");
        var data = item["data"] as JsonObject;
        if (type is null || !WebhookTypes.All.ContainsKey(type)) errors[$"{prefix}type"] = [$"Unknown type '{type}'; use one of: {string.Join(", ", WebhookTypes.All.Keys)}."];
        if (transitionId is null) errors[$"{prefix}transitionId"] = ["transitionId is required."];
        if (data is null) errors[$"{prefix}data"] = ["data must be an object."];
        var occurredAt = item["occurredAt"];
        if (occurredAt is not null && !(occurredAt is JsonValue v && v.TryGetValue<DateTimeOffset>(out _)))
            errors[$"{prefix}occurredAt"] = ["occurredAt must be an ISO-8601 instant with offset."];
        if (errors.Count > before || type is null || transitionId is null || data is null) return null;

        var copy = (JsonObject)data.DeepClone();
        if (occurredAt is not null && copy["occurredAt"] is null) copy["occurredAt"] = occurredAt.DeepClone();
        return new WebhookEnvelope(type, transitionId, copy);
    }

    private static string? Text(JsonObject item, string field) =>
        item[field] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) && text.Length <= 200 ? text : null;

    private static ParsedDelivery Fail(string field, string message) => new([], new() { [field] = [message] });
}
