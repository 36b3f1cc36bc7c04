using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudTransition.Api.Notifications;

/// <summary>The body each format sends for a delivery: the same bytes on every attempt.</summary>
public static class NotificationPayloads
{
    public static byte[] Body(NotificationFormat format, NotificationDelivery d, string tenant) => format switch
    {
        NotificationFormat.Teams => Encoding.UTF8.GetBytes(Teams(d).ToJsonString()),
        NotificationFormat.Slack => Encoding.UTF8.GetBytes(Slack(d).ToJsonString()),
        _ => Standard(d, tenant),
    };

    /// <summary>Standard Webhooks: `{type, timestamp, tenant, transitionId, data}`, the event's JSON written as it was queued (not parsed again).</summary>
    private static byte[] Standard(NotificationDelivery d, string tenant)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(d.Data.Length + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", d.Type);
            json.WriteString("timestamp", d.Timestamp.UtcDateTime.ToString("O"));
            json.WriteString("tenant", tenant);
            if (d.TransitionId.Length == 0) json.WriteNull("transitionId"); else json.WriteString("transitionId", d.TransitionId);
            json.WritePropertyName("data");
            json.WriteRawValue(d.Data);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A message with an Adaptive Card, as a Teams Workflows "When a Teams webhook request is received" flow takes it.</summary>
    private static JsonObject Teams(NotificationDelivery d) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json", ["type"] = "AdaptiveCard", ["version"] = "1.4",
                ["body"] = new JsonArray(
                    new JsonObject { ["type"] = "TextBlock", ["size"] = "Medium", ["weight"] = "Bolder", ["wrap"] = true, ["text"] = Title(d) },
                    new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(Facts(d).Select(f => (JsonNode)new JsonObject { ["title"] = f.Name, ["value"] = f.Value }).ToArray()) }),
            },
        }),
    };

    /// <summary>An incoming-webhook message: `text` for notifications, blocks for the channel.</summary>
    private static JsonObject Slack(NotificationDelivery d) => new()
    {
        ["text"] = Title(d),
        ["blocks"] = new JsonArray(
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(Title(d))}*" } },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(Facts(d).Take(10).Select(f => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(f.Name)}*\n{Escape(f.Value)}" }).ToArray()),
            }),
    };

    private static string Title(NotificationDelivery d) => d.Type == NotificationTypes.Ping
        ? "CloudTransition: test notification"
        : $"CloudTransition: {d.Type}" + (JsonNode.Parse(d.Data)?["organisation"]?.GetValue<string>() is { } organisation ? $" — {organisation}" : "");

    /// <summary>The event's simple fields (names and texts, no nested objects), then when it was recorded.</summary>
    private static IEnumerable<(string Name, string Value)> Facts(NotificationDelivery d)
    {
        if (JsonNode.Parse(d.Data) is JsonObject data)
            foreach (var (name, value) in data)
                if (value is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    yield return (name, v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString());
        yield return ("recordedAt", d.Timestamp.UtcDateTime.ToString("u"));
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
