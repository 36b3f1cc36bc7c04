using CloudTransition.Api.Hosting;
using CloudTransition.IntegrationTests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CloudTransition.IntegrationTests.Hosting;

[Collection(ApiCollection.Name)]
public class IdempotencyTests(ApiFixture api)
{
    private static Dictionary<string, string> Key(string key) => new() { [IdempotencyKeys.Header] = key };

    private async Task<(string Tenant, string KeyId, string Key)> Contributor()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        await api.Post("/api/tenants", new { id = tenant, name = tenant });
        var created = await api.Post("/api/keys", new { tenant, role = "contributor", name = "script" });
        return (tenant, created.Json["id"]!.GetValue<string>(), created.Json["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_same_key_and_body_replays_the_first_answer()
    {
        var (_, _, key) = await Contributor();
        var body = new { organisation = "Once Ltd", domains = new[] { "once.com" } };
        var first = await api.Post("/api/transitions", body, key, Key("create-once-1"));
        var second = await api.Post("/api/transitions", body, key, Key("create-once-1"));

        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Headers["Location"], second.Headers["Location"]);
        Assert.Equal("true", second.Headers["Idempotent-Replayed"]);
        Assert.Single((await api.Get("/api/transitions", key)).Json.AsArray());
    }

    [Fact]
    public async Task a_refusal_is_replayed_too()
    {
        var (_, _, key) = await Contributor();
        var first = await api.Post("/api/transitions", new { organisation = "" }, key, Key("bad-1"));
        var second = await api.Post("/api/transitions", new { organisation = "" }, key, Key("bad-1"));
        first.ShouldBeProblem(400, "organisation");
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task a_refusal_answered_by_the_status_code_pages_is_replayed_as_the_same_problem()
    {
        var (_, _, key) = await Contributor();
        var first = await api.Send("POST", "/api/transitions", [], key, "text/plain", Key("empty-1"));
        var second = await api.Send("POST", "/api/transitions", [], key, "text/plain", Key("empty-1"));
        first.ShouldBeProblem(415);
        second.ShouldBeProblem(415);
        Assert.Equal("true", second.Headers["Idempotent-Replayed"]);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422()
    {
        var (_, _, key) = await Contributor();
        Assert.Equal(201, (await api.Post("/api/transitions", new { organisation = "A", domains = new[] { "a.com" } }, key, Key("k-422"))).Status);
        (await api.Post("/api/transitions", new { organisation = "B", domains = new[] { "b.com" } }, key, Key("k-422"))).ShouldBeProblem(422);
        Assert.Single((await api.Get("/api/transitions", key)).Json.AsArray());
    }

    [Fact]
    public async Task a_retry_while_the_first_is_running_is_409()
    {
        var (_, keyId, key) = await Contributor();
        var body = new { organisation = "Slow Ltd", domains = new[] { "slow.com" } };
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        var first = await api.Post("/api/transitions", body, key, Key("warm-up"));
        Assert.Equal(201, first.Status);
        await using (var session = store.LightweightSession())
        {
            var running = await session.LoadAsync<IdempotencyRecord>($"{keyId}:warm-up");
            running!.State = IdempotencyState.InFlight;
            running.Id = $"{keyId}:in-flight";
            running.CreatedAt = api.Clock.GetUtcNow();
            session.Store(running);
            await session.SaveChangesAsync();
        }
        var retry = await api.Post("/api/transitions", body, key, Key("in-flight"));
        retry.ShouldBeProblem(409);
        Assert.Equal("1", retry.Headers["Retry-After"]);
    }

    [Fact]
    public async Task keys_belong_to_the_api_key_that_used_them_and_are_validated()
    {
        var (_, _, one) = await Contributor();
        var (_, _, other) = await Contributor();
        Assert.Equal(201, (await api.Post("/api/transitions", new { organisation = "A", domains = new[] { "a.com" } }, one, Key("shared"))).Status);
        Assert.Equal(201, (await api.Post("/api/transitions", new { organisation = "B", domains = new[] { "b.com" } }, other, Key("shared"))).Status);
        (await api.Post("/api/transitions", new { organisation = "C", domains = new[] { "c.com" } }, one, Key(new string('k', 256)))).ShouldBeProblem(400);
    }

    [Fact]
    public async Task events_carry_their_source_and_correlation_id()
    {
        var id = await api.StartTransition();
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" });
        var reply = await api.Post($"/api/transitions/{id}/mailboxes/ann@abc.com/move", new { status = "queued" }, headers: new Dictionary<string, string> { ["X-Correlation-Id"] = "cutover-wave-1" });
        Assert.Equal("cutover-wave-1", reply.Headers["X-Correlation-Id"]);

        var moved = (await api.Get($"/api/transitions/{id}/timeline")).Json["items"]!.AsArray().Last()!;
        Assert.Equal("cutover-wave-1", moved["correlationId"]!.GetValue<string>());
        Assert.Equal("api:moveMailbox", moved["headers"]!["source"]!.GetValue<string>());
        Assert.Equal("key_seeded_admin", moved["headers"]!["key"]!.GetValue<string>());
    }
}
