using System.Text.Json.Nodes;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>An operation of the published OpenAPI document.</summary>
public record Operation(string Method, string Template, JsonObject Spec)
{
    public bool IsRead => Method == "GET";
    public bool IsWebhook => Template.StartsWith("/api/webhooks/");
    public bool IsAdmin => Template is "/api/tenants" or "/api/keys" or "/api/keys/{id}" or "/api/webhook-sources/{source}" || IsNotifications || IsIdentityProviders;
    /// <summary>A read only admins may make: notification subscriptions (their targets and delivery logs), digests and identity providers.</summary>
    public bool IsAdminRead => IsRead && (IsNotifications || IsIdentityProviders);
    private bool IsIdentityProviders => Template.StartsWith("/api/tenants/{id}/identity-providers");
    private bool IsNotifications => Template.StartsWith("/api/subscriptions") || Template.StartsWith("/api/digests");
    public bool IsForEveryRole => Template == "/api/relay-advice";
    public override string ToString() => $"{Method} {Template}";

    public string Url(IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(Template, (url, value) => url.Replace($"{{{value.Key}}}", Uri.EscapeDataString(value.Value)));
}

public static class Routes
{
    public static async Task<IReadOnlyList<Operation>> Published(IApi api)
    {
        var doc = (await api.Get("/swagger/v1/swagger.json", "")).Json;
        return doc["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => new Operation(op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject())))
            .ToList();
    }
}
