using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Hosting;

/// <summary>The committed contract is what the service publishes, and it is complete enough to integrate from.</summary>
[Collection(ApiCollection.Name)]
public class ContractTests(ApiFixture api)
{
    private static readonly string Committed = Path.Combine(TestDatabase.RepositoryRoot(), "contracts/openapi/v1.json");

    [Fact]
    public async Task the_published_document_is_the_committed_one()
    {
        var published = (await api.Get("/swagger/v1/swagger.json", "")).Json;
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Committed))!;
        Assert.True(JsonNode.DeepEquals(published, committed),
            "The service's OpenAPI document differs from contracts/openapi/v1.json: run `deploy/dev.sh openapi` and commit the result.");
    }

    [Fact]
    public async Task every_operation_is_documented_for_integrators()
    {
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(Committed))!;
        var tags = doc["tags"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["description"]?.GetValue<string>());
        Assert.All(tags, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"tag {t.Key} has no description"));
        Assert.Equal("bearer", doc["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());

        foreach (var (path, item) in doc["paths"]!.AsObject())
        foreach (var (method, node) in item!.AsObject())
        {
            var op = node!.AsObject();
            var name = $"{method.ToUpperInvariant()} {path}";
            var id = op["operationId"]!.GetValue<string>();
            Assert.Matches("^[a-z][A-Za-z0-9]+$", id);
            Assert.False(string.IsNullOrWhiteSpace(op["summary"]?.GetValue<string>()), $"{name} has no summary");
            var description = op["description"]?.GetValue<string>() ?? "";
            Assert.False(description.Length < 20 || System.Text.RegularExpressions.Regex.IsMatch(description, "^(GET|POST|PUT|DELETE)_"), $"{name} has no real description: '{description}'");
            Assert.Contains(op["tags"]![0]!.GetValue<string>(), tags.Keys);
            foreach (var (code, response) in op["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
                Assert.True(response!["content"]?["application/problem+json"] is not null, $"{name} {code} is not problem+json");
            Assert.True(op["responses"]!.AsObject().Any(r => r.Key[0] == '4'), $"{name} declares no 4xx");
            if (op["requestBody"] is { } body)
                Assert.True(body["content"]!.AsObject().Any(c => c.Value!["example"] is not null), $"{name} has no request example");
        }

        var schemas = doc["components"]!["schemas"]!.AsObject();
        foreach (var type in typeof(CloudTransition.Contracts.ITransitionEvent).Assembly.GetTypes().Where(t => t.IsClass && typeof(CloudTransition.Contracts.ITransitionEvent).IsAssignableFrom(t)))
            Assert.False(string.IsNullOrWhiteSpace(schemas[type.Name]?["description"]?.GetValue<string>()), $"event {type.Name} is not documented in the contract");

        var webhook = doc["paths"]!["/api/webhooks/{tenant}/{source}"]!["post"]!;
        var headers = webhook["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>());
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], headers);
        Assert.Empty(webhook["security"]!.AsArray());
    }
}
