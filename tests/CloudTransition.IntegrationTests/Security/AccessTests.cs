using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Security;

/// <summary>Every published route, called without a key, with each role, and with another tenant's ids.</summary>
[Collection(ApiCollection.Name)]
public class AccessTests(ApiFixture api)
{
    private Task<(string Tenant, Dictionary<string, string> Values)> TenantWithItems() => TenantWithItems(api);

    /// <summary>A tenant with one of each item, and the values that fill every route template with them.</summary>
    internal static async Task<(string Tenant, Dictionary<string, string> Values)> TenantWithItems(IApi api)
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        await api.Post("/api/tenants", new { id = tenant, name = tenant });
        var admin = await api.KeyFor(tenant, "admin");
        var id = await api.StartTransition(admin);
        var values = new Dictionary<string, string> { ["id"] = id, ["tenant"] = tenant, ["source"] = "script", ["address"] = "ann@abc.com", ["server"] = "cas01" };
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" }, admin);
        await api.Post($"/api/transitions/{id}/hybrid/configurations", new { exchangeVersion = "2013", endpoints = new[] { new { server = "cas01", role = "cas" } } }, admin);
        values["deviceId"] = (await api.Post($"/api/transitions/{id}/devices", new { name = "MFP", kind = "printer", canChangePort = true, supportsSmtpAuth = true, sendsExternal = true, currentTarget = "exch:25" }, admin)).Json["device"]!["deviceId"]!.GetValue<string>();
        values["componentId"] = (await api.Post($"/api/transitions/{id}/components", new { name = "SAN", role = "san", physical = true }, admin)).Json["componentId"]!.GetValue<string>();
        values["blockerId"] = (await api.Post($"/api/transitions/{id}/blockers", new { name = "BES", kind = "lob-on-exchange", detail = "d" }, admin)).Json["blockerId"]!.GetValue<string>();
        values["caseId"] = (await api.Post($"/api/transitions/{id}/support-cases", new { title = "t", vendor = "Microsoft", channel = "direct", severity = "b" }, admin)).Json["caseId"]!.GetValue<string>();
        return (tenant, values);
    }

    private static Task<Reply> Call(IApi api, Operation op, Dictionary<string, string> values, string key) =>
        api.Send(op.Method, op.Url(values), op.IsRead || op.Method == "DELETE" ? null : "{}"u8.ToArray(), key, "application/json");

    [Fact]
    public async Task every_route_without_a_key_is_401()
    {
        var (_, values) = await TenantWithItems();
        var operations = await Routes.Published(api);
        Assert.True(operations.Count > 30, $"only {operations.Count} operations published");
        foreach (var op in operations)
        {
            var reply = await Call(api, op, values, "");
            Assert.True(reply.Status == 401, $"{op}: {reply}");
            Assert.StartsWith("application/problem+json", reply.ContentType);
        }
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("contributor")]
    [InlineData("automation")]
    [InlineData("admin")]
    public async Task each_role_reaches_only_what_it_may(string role)
    {
        var (tenant, values) = await TenantWithItems();
        await ReachesOnlyWhatItMay(api, values, await api.KeyFor(tenant, role), role);
    }

    /// <summary>Calls every published route with the credential (a key or a bearer token) of the role.</summary>
    internal static async Task ReachesOnlyWhatItMay(IApi api, Dictionary<string, string> values, string credential, string role)
    {
        foreach (var op in await Routes.Published(api))
        {
            if (op.IsWebhook || (op.Template == "/api/keys/{id}" && role == "admin")) continue;
            var allowed = (op.IsRead && !op.IsAdminRead) || op.IsForEveryRole || (role != "viewer" && !op.IsAdmin) || role == "admin";
            var reply = await Call(api, op, values, credential);
            Assert.True(allowed ? reply.Status is not (401 or 403) and < 500 : reply.Status == 403, $"{role} {op}: {reply}");
        }
    }

    [Fact]
    public async Task another_tenants_ids_are_not_found_on_every_read()
    {
        var (_, theirs) = await TenantWithItems();
        var mine = await api.TenantWithKey("viewer");
        foreach (var op in (await Routes.Published(api)).Where(o => o.IsRead && !o.IsAdminRead && o.Template.Contains("{id}")))
        {
            var reply = await Call(api, op, theirs, mine);
            Assert.True(reply.Status == 404, $"{op}: {reply}");
        }
    }

    [Fact]
    public async Task sql_looking_input_is_stored_as_data()
    {
        const string organisation = "Robert'); DROP TABLE cloudtransition.mt_events; --";
        var key = await api.TenantWithKey();
        var created = await api.Post("/api/transitions", new { organisation, domains = new[] { "abc.com" } }, key);
        var id = created.Json["id"]!.GetValue<string>();
        Assert.Equal(organisation, (await api.Get($"/api/transitions/{id}", key)).Json["organisation"]!.GetValue<string>());
        (await api.Get($"/api/transitions/{id}/mailboxes?status=queued'%20OR%201=1%20--", key)).ShouldBeProblem(400, "status");
        (await api.Get($"/api/transitions/'%20OR%20'1'='1", key)).ShouldBeProblem(404);
        Assert.Single((await api.Get($"/api/transitions/{id}/timeline", key)).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task fifty_commands_with_the_same_expected_version_let_exactly_one_through()
    {
        var id = await api.StartTransition();
        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            api.Post($"/api/transitions/{id}/phase", new { phase = i % 2 == 0 ? "pilot" : "proof-of-concept", expectedVersion = 1 })));

        Assert.Equal(1, replies.Count(r => r.Status == 200));
        Assert.All(replies.Where(r => r.Status != 200), r => r.ShouldBeProblem(409));
        var transition = (await api.Get($"/api/transitions/{id}")).Json;
        Assert.Equal(2, transition["version"]!.GetValue<int>());
        Assert.Equal(2, (await api.Get($"/api/transitions/{id}/timeline")).Json["items"]!.AsArray().Count);
    }
}
