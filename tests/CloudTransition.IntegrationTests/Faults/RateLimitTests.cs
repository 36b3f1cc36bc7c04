using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Faults;

[Collection(FaultCollection.Name)]
public class RateLimitTests
{
    [Fact]
    public async Task a_key_over_its_rate_limit_gets_429_with_retry_after()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi(
            environment: new Dictionary<string, string> { ["RateLimit__PermitsPerSecond"] = "5", ["RateLimit__Burst"] = "10" });
        using var api = new LiveApi(process.BaseUrl, harness.AdminKey);

        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => api.Get("/api/transitions")));
        var limited = replies.Where(r => r.Status == 429).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => { r.ShouldBeProblem(429); Assert.True(int.Parse(r.Headers["Retry-After"]) >= 1); });
        Assert.Equal(200, (await api.Get("/health/live", "")).Status);
    }
}
