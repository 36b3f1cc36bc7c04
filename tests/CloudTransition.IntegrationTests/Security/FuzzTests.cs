using System.Text;
using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;
using CsCheck;
using Npgsql;
using Xunit.Abstractions;

namespace CloudTransition.IntegrationTests.Security;

/// <summary>
/// CsCheck drives every published route with generated route values, query strings, headers and bodies — wrong types,
/// huge strings, deep nesting, invalid UTF-8, nulls, negative and overflowing numbers. Nothing may answer 5xx, every
/// 4xx is problem+json without a stack trace, and a refused request leaves the store as it was.
/// </summary>
[Collection(ApiCollection.Name)]
public class FuzzTests(ApiFixture api, ITestOutputHelper output)
{
    public const int Requests = 10_000;

    private static readonly string[] Nasty =
    [
        "", " ", "null", "0", "-1", "NaN", "2147483648", "99999999999999999999999", "1e309", "-0.0", "true", "[]", "{}",
        "../../etc/passwd", "%00", "\u0000", "' OR '1'='1", "<script>alert(1)</script>", "ann@abc.com", "user-mailbox", "queued",
        "completed", "authenticated-submission-587", "2026-13-45T99:99:99Z", "2026-10-01T08:00:00Z", "🙂🙃", "\uD800", new string('x', 70_000),
    ];

    private record Case(int Operation, int Mutation, string Text, long Number, int Depth, int Seed);

    private static readonly Gen<Case> Cases =
        Gen.Select(Gen.Int[0, 10_000], Gen.Int[0, 13], Gen.String, Gen.Long, Gen.Int[0, 300], Gen.Int)
            .Select((op, mutation, text, number, depth, seed) => new Case(op, mutation, text, number, depth, seed));

    [Fact]
    public async Task ten_thousand_generated_requests_never_break_the_service()
    {
        var tenant = "fuzz-" + Guid.NewGuid().ToString("N")[..8];
        await api.Post("/api/tenants", new { id = tenant, name = "Fuzz" });
        var key = await api.KeyFor(tenant, "admin");
        var id = await api.StartTransition(key);
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" }, key);
        var operations = await Routes.Published(api);
        var schemas = (await api.Get("/swagger/v1/swagger.json", "")).Json["components"]!["schemas"]!.AsObject();
        var (sent, refused, failures, statuses) = (0, 0, new List<string>(), new Dictionary<int, int>());

        await Check.SampleAsync(Cases, async c =>
        {
            var op = operations[c.Operation % operations.Count];
            var random = new Random(c.Seed);
            var url = Url(op, c, random, id);
            var (body, contentType) = Body(op, c, random, schemas);
            var before = await Events(tenant);
            var reply = await api.Send(op.Method, url, op.Method is "GET" or "DELETE" && c.Mutation % 3 != 0 ? null : body, key, contentType, Headers(c, random));
            sent++;
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
            if (reply.Status >= 500) failures.Add($"{op} {url}: {reply.Status} {Truncate(reply.Body)}");
            if (reply.Body.Contains("   at ") || reply.Body.Contains("Exception")) failures.Add($"{op} {url}: stack trace or exception in {Truncate(reply.Body)}");
            if (reply.Body.Contains("CloudTransition.Api.") || reply.Body.Contains("System.")) failures.Add($"{op} {url}: a CLR type name in {Truncate(reply.Body)}");
            if (reply.Status is >= 400 and < 500)
            {
                refused++;
                if (!reply.ContentType.StartsWith("application/problem+json")) failures.Add($"{op} {url}: {reply.Status} as {reply.ContentType}");
                if (await Events(tenant) != before) failures.Add($"{op} {url}: refused with {reply.Status} but appended events");
            }
        }, iter: Requests, threads: 1);

        var summary = $"fuzz: {sent} requests, {refused} refused with 4xx, {statuses.Where(s => s.Key >= 500).Sum(s => s.Value)} 5xx, {failures.Count} failures; "
                      + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        output.WriteLine(summary);
        Directory.CreateDirectory(Path.Combine(TestDatabase.RepositoryRoot(), ".data/test-results"));
        await File.WriteAllTextAsync(Path.Combine(TestDatabase.RepositoryRoot(), ".data/test-results/fuzz.txt"), summary + "\n");
        Assert.True(sent >= Requests);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static string Url(Operation op, Case c, Random random, string id)
    {
        string Value(string name) => c.Mutation switch
        {
            < 4 => name switch { "id" => id, "address" => "ann@abc.com", "tenant" => "fuzz", _ => c.Text },
            < 8 => Nasty[random.Next(Nasty.Length)],
            _ => c.Text,
        };
        var url = op.Template;
        foreach (var name in new[] { "id", "address", "deviceId", "componentId", "caseId", "blockerId", "server", "source", "tenant" })
            // A NUL in the path never reaches the application: Kestrel (and the test server's client) refuse it first.
            url = url.Replace($"{{{name}}}", Uri.EscapeDataString(Value(name).Replace("\0", "") is { Length: > 0 } v ? v[..Math.Min(v.Length, 2000)] : "x"));
        var query = (op.Spec["parameters"] as JsonArray ?? []).Where(p => p!["in"]!.GetValue<string>() == "query")
            .Select(p => $"{p!["name"]!.GetValue<string>()}={Uri.EscapeDataString(random.Next(3) == 0 ? c.Number.ToString() : Pick(random, 200))}")
            .Where(_ => random.Next(2) == 0);
        return query.Any() ? $"{url}?{string.Join("&", query)}" : url;
    }

    private static (byte[] Body, string ContentType) Body(Operation op, Case c, Random random, JsonObject schemas)
    {
        var contentType = random.Next(12) switch { 0 => "text/plain", 1 => "text/csv", 2 => "application/x-www-form-urlencoded", _ => "application/json" };
        byte[] bytes = c.Mutation switch
        {
            8 => [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d],                 // invalid UTF-8 in a string
            9 => Encoding.UTF8.GetBytes(new string('[', c.Depth) + new string(']', c.Depth)),       // deep nesting
            10 => Encoding.UTF8.GetBytes(c.Text),                                                   // not JSON at all
            11 => Encoding.UTF8.GetBytes("{\"organisation\":\"" + new string('a', 5000) + "\""),  // truncated
            12 => Duplicated(Mutated(Schema(op, schemas), c, random, schemas, 0)!.ToJsonString()),   // a key twice
            13 => [.. "address,kind\nbad"u8, 0xff, .. "@c2.example,user-mailbox\n"u8],               // CSV with a byte that is not UTF-8
            _ => Encoding.UTF8.GetBytes(Mutated(Schema(op, schemas), c, random, schemas, 0)!.ToJsonString()),
        };
        return (bytes, contentType);
    }

    /// <summary>The object with its first property written twice (`{"a":1,"a":1,...}`).</summary>
    private static byte[] Duplicated(string json)
    {
        var node = JsonNode.Parse(json);
        if (node is not JsonObject { Count: > 0 } o) return Encoding.UTF8.GetBytes(json);
        var first = o.First();
        var again = $"\"{first.Key}\":{first.Value?.ToJsonString() ?? "null"}";
        return Encoding.UTF8.GetBytes("{" + again + "," + json[1..]);
    }

    /// <summary>An object with the schema's fields, each a plausible, wrong-typed or hostile value, plus strangers.</summary>
    private static JsonNode? Mutated(JsonObject? schema, Case c, Random random, JsonObject schemas, int depth)
    {
        var result = new JsonObject();
        var properties = schema?["properties"] as JsonObject ?? [];
        foreach (var (name, _) in properties)
            if (random.Next(4) > 0) result[name] = Value(c, random, depth);
        if (random.Next(3) == 0) result[c.Text.Length > 0 ? c.Text[..Math.Min(c.Text.Length, 50)] : "extra"] = Value(c, random, depth);
        if (properties.ContainsKey("events") || random.Next(10) == 0)
            result["events"] = new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => (JsonNode?)new JsonObject
            {
                ["type"] = Pick(random, 100), ["transitionId"] = Value(c, random, depth + 1),
                ["data"] = Value(c, random, depth + 1),
            }).ToArray());
        return random.Next(20) == 0 ? new JsonArray(result) : result;
    }

    private static JsonNode? Value(Case c, Random random, int depth) => random.Next(depth > 3 ? 8 : 10) switch
    {
        0 => null,
        1 => JsonValue.Create(c.Number),
        2 => JsonValue.Create(c.Number < 0 ? c.Number : -c.Number - 1),
        3 => JsonNode.Parse($"9{Math.Abs(c.Number % 1000)}123456789012345678901234567890e{random.Next(400)}"),     // beyond any .NET number
        4 => JsonValue.Create(random.Next(2) == 0),
        5 => JsonValue.Create(c.Text),
        6 or 7 => JsonValue.Create(Nasty[random.Next(Nasty.Length)]),
        8 => new JsonArray(Value(c, random, depth + 1), Value(c, random, depth + 1)),
        _ => new JsonObject { ["nested"] = Value(c, random, depth + 1), ["status"] = Value(c, random, depth + 1) },
    };

    private static JsonObject? Schema(Operation op, JsonObject schemas)
    {
        var reference = op.Spec["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
        return reference is null ? null : schemas[reference.Split('/')[^1]] as JsonObject;
    }

    private static Dictionary<string, string> Headers(Case c, Random random)
    {
        var headers = new Dictionary<string, string>();
        if (random.Next(4) == 0) headers["Idempotency-Key"] = $"fuzz-{c.Seed}";
        if (random.Next(6) == 0) headers["X-Correlation-Id"] = Ascii(c.Text);
        if (random.Next(5) == 0)
        {
            headers["webhook-id"] = Ascii(c.Text);
            headers["webhook-timestamp"] = c.Number.ToString();
            headers["webhook-signature"] = "v1," + Convert.ToBase64String(Encoding.UTF8.GetBytes(c.Text));
        }
        return headers;
    }

    private static string Pick(Random random, int maxLength)
    {
        var text = Nasty[random.Next(Nasty.Length)];
        return text[..Math.Min(maxLength, text.Length)];
    }

    private static string Ascii(string text) => new(text.Where(ch => ch is >= ' ' and <= '~').Take(300).ToArray());

    private async Task<long> Events(string tenant)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from cloudtransition.mt_events where tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
