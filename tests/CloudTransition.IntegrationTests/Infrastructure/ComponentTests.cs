using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Infrastructure;

[Collection(ApiCollection.Name)]
public class ComponentTests(ApiFixture api)
{
    private async Task<string> Component(string id, string name, string role, bool physical = true, decimal? storageTb = null)
    {
        var reply = await api.Post($"/api/transitions/{id}/components", new { name, role, physical, storageTb });
        Assert.Equal(201, reply.Status);
        return reply.Json["componentId"]!.GetValue<string>();
    }

    [Fact]
    public async Task components_are_retained_with_a_reason_or_decommissioned()
    {
        var id = await api.StartTransition();
        var san = await Component(id, "Primary SAN", "san", storageTb: 24);
        var dc = await Component(id, "DC01", "domain-controller", physical: false);

        (await api.Post($"/api/transitions/{id}/components/{dc}/retain", new { })).ShouldBeProblem(400, "reason");
        var retained = await api.Post($"/api/transitions/{id}/components/{dc}/retain", new { reason = "AD stays the source of authority while Dirsync is on" });
        Assert.Equal("retained", retained.Json["state"]!.GetValue<string>());
        var decommissioned = await api.Post($"/api/transitions/{id}/components/{san}/decommission", new { });
        Assert.Equal("decommissioned", decommissioned.Json["state"]!.GetValue<string>());
        (await api.Post($"/api/transitions/{id}/components/{san}/retain", new { reason = "changed my mind" })).ShouldBeProblem(409);

        var list = (await api.Get($"/api/transitions/{id}/components")).Json.AsArray();
        Assert.Equal(["DC01", "Primary SAN"], list.Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task the_last_exchange_server_cannot_go_while_things_depend_on_it()
    {
        var id = await api.StartTransition();
        var exch1 = await Component(id, "EXCH01", "exchange-mailbox");
        var exch2 = await Component(id, "EXCH02", "exchange-cas");
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" });
        var device = (await api.Post($"/api/transitions/{id}/devices", new
        {
            name = "Copier", kind = "printer", canChangePort = true, supportsSmtpAuth = true, sendsExternal = false, currentTarget = "exch01:25",
        })).Json["device"]!["deviceId"]!.GetValue<string>();
        await api.Post($"/api/transitions/{id}/hybrid/configurations", new { exchangeVersion = "2013", endpoints = new[] { new { server = "exch02", role = "cas" } } });

        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/components/{exch1}/decommission", new { })).Status);
        var refused = await api.Post($"/api/transitions/{id}/components/{exch2}/decommission", new { });
        refused.ShouldBeProblem(409);
        var dependents = refused.Json["dependents"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Equal(["mailbox ann@abc.com", "device Copier", "hybrid endpoint exch02 (pending restart)"], dependents);

        await api.Post($"/api/transitions/{id}/mailboxes/ann@abc.com/move", new { status = "queued" });
        await api.Post($"/api/transitions/{id}/mailboxes/ann@abc.com/move", new { status = "completed" });
        await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new { method = "authenticated-submission-587", host = "smtp.office365.com", port = 587 });
        await api.Post($"/api/transitions/{id}/hybrid/endpoints/exch02/restart", new { method = "reboot" });
        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/components/{exch2}/decommission", new { })).Status);
    }

    [Fact]
    public async Task bad_components_are_refused()
    {
        var id = await api.StartTransition();
        (await api.Post($"/api/transitions/{id}/components", new { name = "X", role = "mainframe", physical = true })).ShouldBeProblem(400, "role");
        (await api.Post($"/api/transitions/{id}/components", new { name = "X", role = "san", physical = "yes" })).ShouldBeProblem(400, "physical");
        (await api.Post($"/api/transitions/{id}/components", new { name = "X", role = "san", physical = true, storageTb = -2 })).ShouldBeProblem(400, "storageTb");
        (await api.Post($"/api/transitions/{id}/components/nope/decommission", new { })).ShouldBeProblem(404);
    }
}
