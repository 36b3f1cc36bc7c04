using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>Signs deliveries as automation does: Standard Webhooks, HMAC-SHA256 over "{id}.{timestamp}.{body}".</summary>
public class WebhookSender(IApi api, string tenant, string source, string secret)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    public string Secret { get; set; } = secret;
    public string Tenant => tenant;
    public string Source => source;

    public static string Sign(string secret, string id, long timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    public Task<Reply> Send(object payload, string? id = null, DateTimeOffset? at = null, string? signature = null, string? tenantOverride = null) =>
        SendRaw(JsonSerializer.SerializeToUtf8Bytes(payload, Web), id, at, signature, tenantOverride);

    public Task<Reply> SendRaw(byte[] body, string? id = null, DateTimeOffset? at = null, string? signature = null, string? tenantOverride = null)
    {
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (at ?? api.UtcNow).ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp.ToString(),
            ["webhook-signature"] = signature ?? Sign(Secret, id, timestamp, body),
        };
        return api.Send("POST", $"/api/webhooks/{tenantOverride ?? tenant}/{source}", body, "", "application/json", headers);
    }

    /// <summary>A tenant with a contributor key and a webhook source of that tenant.</summary>
    public static async Task<(WebhookSender Sender, string Key, string Tenant)> ForNewTenant(IApi api, string source = "migration-script")
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        await api.Post("/api/tenants", new { id = tenant, name = tenant });
        var admin = await api.KeyFor(tenant, "admin");
        var put = await api.Send("PUT", $"/api/webhook-sources/{source}", null, admin);
        Assert.True(put.Status == 201, put.ToString());
        return (new WebhookSender(api, tenant, source, put.Json["secret"]!.GetValue<string>()), admin, tenant);
    }
}
