using CloudTransition.IntegrationTests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CloudTransition.IntegrationTests.Security;

[Collection(ApiCollection.Name)]
public class TenancyAndKeysTests(ApiFixture api)
{
    [Fact]
    public async Task a_request_without_a_key_is_refused_with_401_problem()
    {
        (await api.Get("/api/transitions", key: "")).ShouldBeProblem(401);
        (await api.Post("/api/transitions", new { organisation = "X", domains = new[] { "x.com" } }, key: "")).ShouldBeProblem(401);
    }

    [Fact]
    public async Task an_unknown_key_is_refused_with_401()
    {
        (await api.Get("/api/transitions", key: "ct_not_a_real_key")).ShouldBeProblem(401);
    }

    [Fact]
    public async Task the_x_api_key_header_is_accepted_too()
    {
        var reply = await api.Send("GET", "/api/transitions", null, "", headers: new Dictionary<string, string> { ["X-Api-Key"] = api.AdminKey });
        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public async Task a_viewer_reads_but_cannot_record()
    {
        var contributor = await api.TenantWithKey("contributor");
        var id = await api.StartTransition(contributor);
        var tenant = (await api.Get($"/api/transitions/{id}", contributor)).Status;
        Assert.Equal(200, tenant);

        var viewer = await KeyOfSameTenant(contributor, "viewer");
        Assert.Equal(200, (await api.Get($"/api/transitions/{id}", viewer)).Status);
        (await api.Post("/api/transitions", new { organisation = "X", domains = new[] { "x.com" } }, viewer)).ShouldBeProblem(403);
        (await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot" }, viewer)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task another_tenants_transition_is_not_found()
    {
        var mine = await api.TenantWithKey();
        var theirs = await api.TenantWithKey();
        var id = await api.StartTransition(theirs);

        (await api.Get($"/api/transitions/{id}", mine)).ShouldBeProblem(404);
        (await api.Get($"/api/transitions/{id}/timeline", mine)).ShouldBeProblem(404);
        (await api.Get($"/api/transitions/{id}/mailboxes", mine)).ShouldBeProblem(404);
        (await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot" }, mine)).ShouldBeProblem(404);
        (await api.Post($"/api/transitions/{id}/mailboxes", new { address = "a@abc.com", kind = "user-mailbox" }, mine)).ShouldBeProblem(404);
        var list = await api.Get("/api/transitions", mine);
        Assert.DoesNotContain(id, list.Body);
    }

    [Fact]
    public async Task keys_are_stored_only_as_hashes_and_can_be_revoked()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        await api.Post("/api/tenants", new { id = tenant, name = "Hash check" });
        var created = await api.Post("/api/keys", new { tenant, role = "viewer", name = "reader" });
        Assert.Equal(201, created.Status);
        var key = created.Json["key"]!.GetValue<string>();
        var keyId = created.Json["id"]!.GetValue<string>();

        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            var raw = await session.Json.FindByIdAsync<CloudTransition.Api.Security.ApiKey>(keyId);
            Assert.DoesNotContain(key, raw);
        }

        Assert.Equal(200, (await api.Get("/api/transitions", key)).Status);
        Assert.Equal(204, (await api.Delete($"/api/keys/{keyId}")).Status);
        (await api.Get("/api/transitions", key)).ShouldBeProblem(401);
    }

    [Fact]
    public async Task a_tenant_admin_cannot_issue_keys_for_another_tenant_nor_create_tenants()
    {
        var admin = await api.TenantWithKey("admin");
        var other = "t-" + Guid.NewGuid().ToString("N")[..10];
        await api.Post("/api/tenants", new { id = other, name = "Other" });

        (await api.Post("/api/keys", new { tenant = other, role = "admin", name = "sneaky" }, admin)).ShouldBeProblem(404);
        (await api.Post("/api/tenants", new { id = "t-" + Guid.NewGuid().ToString("N")[..10], name = "X" }, admin)).ShouldBeProblem(403);
        (await api.Post("/api/keys", new { role = "viewer", name = "own" }, admin)).Status.Equals(201);
    }

    [Fact]
    public async Task a_contributor_cannot_issue_keys()
    {
        var contributor = await api.TenantWithKey("contributor");
        (await api.Post("/api/keys", new { role = "admin", name = "escalate" }, contributor)).ShouldBeProblem(403);
    }

    [Fact]
    public async Task tenant_and_key_requests_are_validated()
    {
        (await api.Post("/api/tenants", new { id = "Not Valid!", name = "" })).ShouldBeProblem(400, "id");
        (await api.Post("/api/keys", new { role = "superuser", name = "x" })).ShouldBeProblem(400, "role");
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(201, (await api.Post("/api/tenants", new { id = tenant, name = "Once" })).Status);
        (await api.Post("/api/tenants", new { id = tenant, name = "Twice" })).ShouldBeProblem(409);
    }

    private async Task<string> KeyOfSameTenant(string key, string role)
    {
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var hash = CloudTransition.Api.Security.ApiKey.HashOf(key);
        var stored = await session.Query<CloudTransition.Api.Security.ApiKey>().SingleAsync(k => k.Hash == hash);
        return await api.KeyFor(stored.TenantId, role);
    }
}
