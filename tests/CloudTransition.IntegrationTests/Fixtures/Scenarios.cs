using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>What the API answered: status, headers and the body as JSON.</summary>
public record Reply(int Status, string Body, IDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string ContentType => Headers.TryGetValue("Content-Type", out var c) ? c : "";
    public override string ToString() => $"{Status} {Body}";
}

/// <summary>The API as tests talk to it: in-process through Alba, or a real process over HTTP.</summary>
public interface IApi
{
    string AdminKey { get; }
    DateTimeOffset UtcNow { get; }
    Task<Reply> Send(string method, string url, byte[]? body, string? key, string? contentType = null, IDictionary<string, string>? headers = null);
}

public static class Scenarios
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static Task<Reply> Get(this IApi api, string url, string? key = null) => api.Send("GET", url, null, key);
    public static Task<Reply> Delete(this IApi api, string url, string? key = null) => api.Send("DELETE", url, null, key);

    public static Task<Reply> Post(this IApi api, string url, object body, string? key = null, IDictionary<string, string>? headers = null) =>
        api.Send("POST", url, JsonSerializer.SerializeToUtf8Bytes(body, Web), key, "application/json", headers);

    public static Task<Reply> Put(this IApi api, string url, object body, string? key = null) =>
        api.Send("PUT", url, JsonSerializer.SerializeToUtf8Bytes(body, Web), key, "application/json");

    public static Task<Reply> PostRaw(this IApi api, string url, string body, string contentType, string? key = null) =>
        api.Send("POST", url, Encoding.UTF8.GetBytes(body), key, contentType);

    /// <summary>Starts a transition and answers its id.</summary>
    public static async Task<string> StartTransition(this IApi api, string? key = null, string organisation = "ABC Ltd")
    {
        var reply = await api.Post("/api/transitions", new { organisation, domains = new[] { "abc.com" } }, key);
        Assert.True(reply.Status == 201, reply.ToString());
        return reply.Json["id"]!.GetValue<string>();
    }

    /// <summary>Creates a tenant with a key of the given role and answers the key.</summary>
    public static async Task<string> TenantWithKey(this IApi api, string role = "contributor")
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(201, (await api.Post("/api/tenants", new { id = tenant, name = tenant })).Status);
        return await api.KeyFor(tenant, role);
    }

    public static async Task<string> KeyFor(this IApi api, string tenant, string role)
    {
        var reply = await api.Post("/api/keys", new { tenant, role, name = $"{role}-key" });
        Assert.True(reply.Status == 201, reply.ToString());
        return reply.Json["key"]!.GetValue<string>();
    }

    public static void ShouldBeProblem(this Reply reply, int status, string? field = null)
    {
        Assert.True(reply.Status == status, $"expected {status}, got {reply}");
        Assert.StartsWith("application/problem+json", reply.ContentType);
        if (field is not null)
            Assert.True(reply.Json["errors"]?[field] is not null, $"expected an error for '{field}' in {reply.Body}");
    }
}
