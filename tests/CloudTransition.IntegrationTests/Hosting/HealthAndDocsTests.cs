using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Hosting;

[Collection(ApiCollection.Name)]
public class HealthAndDocsTests(ApiFixture api)
{
    [Fact]
    public async Task health_endpoints_answer_without_a_key()
    {
        Assert.Equal(200, (await api.Get("/health/live", key: "")).Status);
        var ready = await api.Get("/health/ready", key: "");
        Assert.Equal(200, ready.Status);
        Assert.Equal("Healthy", ready.Body);
    }

    [Fact]
    public async Task the_openapi_document_has_readable_operations()
    {
        var doc = await api.Get("/swagger/v1/swagger.json", key: "");
        Assert.Equal(200, doc.Status);
        var paths = doc.Json["paths"]!.AsObject();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => o.Value!)).ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, op =>
        {
            var id = op["operationId"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(id));
            Assert.DoesNotContain("_", id);
            Assert.False(string.IsNullOrEmpty(op["summary"]?.GetValue<string>()), id);
            Assert.NotNull(op["tags"]);
        });
        Assert.NotNull(doc.Json["components"]!["securitySchemes"]!["bearer"]);
    }
}
