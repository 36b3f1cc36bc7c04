using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Notifications;

/// <summary>The default settings: https only, public addresses only, admins only.</summary>
[Collection(ApiCollection.Name)]
public class SubscriptionRulesTests(ApiFixture api)
{
    [Fact]
    public async Task targets_that_are_not_https_or_resolve_to_loopback_are_refused_and_only_admins_subscribe()
    {
        var key = await api.TenantWithKey("admin");
        object Body(string url, object? events = null, string format = "standard-webhooks") => new { name = "x", url, format, events = events ?? new[] { "*" } };
        (await api.Post("/api/subscriptions", Body("http://203.0.113.10/hook"), key)).ShouldBeProblem(400, "url");
        (await api.Post("/api/subscriptions", Body("https://localhost:1/hook"), key)).ShouldBeProblem(400, "url"); // a name that resolves to 127.0.0.1
        (await api.Post("/api/subscriptions", Body("https://10.1.2.3/hook"), key)).ShouldBeProblem(400, "url");
        (await api.Post("/api/subscriptions", Body("https://user:pw@203.0.113.10/"), key)).ShouldBeProblem(400, "url");
        (await api.Post("/api/subscriptions", Body("not a url"), key)).ShouldBeProblem(400, "url");
        (await api.Post("/api/subscriptions", Body("https://203.0.113.10/", new[] { "mailbox.moved", "mailbox.mooved" }), key)).ShouldBeProblem(400, "events[1]");
        (await api.Post("/api/subscriptions", Body("https://203.0.113.10/", format: "email"), key)).ShouldBeProblem(400, "format");
        (await api.Post("/api/subscriptions", new { name = "x", url = "https://203.0.113.10/", format = "slack", events = new[] { "*" }, transitionId = "nope" }, key))
            .ShouldBeProblem(400, "transitionId");
        Assert.Equal(403, (await api.Post("/api/subscriptions", Body("https://203.0.113.10/"), await api.TenantWithKey("contributor"))).Status);

        var created = await api.Post("/api/subscriptions", Body("https://203.0.113.10/secret-path?token=abc"), key);
        Assert.True(created.Status == 201, created.ToString());
        Assert.StartsWith("whsec_", created.Json["secret"]!.GetValue<string>());
        var shown = (await api.Get($"/api/subscriptions/{created.Json["subscriptionId"]}", key)).Json;
        Assert.Equal("https://203.0.113.10", shown["target"]!.GetValue<string>());
        Assert.DoesNotContain("secret", (await api.Get("/api/subscriptions", key)).Body);
        Assert.Equal(404, (await api.Get($"/api/subscriptions/{created.Json["subscriptionId"]}", await api.TenantWithKey("admin"))).Status);
        Assert.Equal(204, (await api.Delete($"/api/subscriptions/{created.Json["subscriptionId"]}", key)).Status);
    }
}
