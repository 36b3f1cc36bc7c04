using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Hybrid;

[Collection(ApiCollection.Name)]
public class HybridTests(ApiFixture api)
{
    private static readonly DateTimeOffset Run1 = DateTimeOffset.Parse("2026-04-01T10:00:00Z");

    private async Task<Dictionary<string, bool>> Pending(string id) =>
        (await api.Get($"/api/transitions/{id}/hybrid")).Json["endpoints"]!.AsArray()
            .ToDictionary(e => e!["server"]!.GetValue<string>(), e => e!["pendingRestart"]!.GetValue<bool>());

    private Task<Reply> Wizard(string id, DateTimeOffset at, params string[] servers) =>
        api.Post($"/api/transitions/{id}/hybrid/configurations",
            new { exchangeVersion = "2010 SP3", endpoints = servers.Select(s => new { server = s, role = "cas-hub" }), occurredAt = at });

    [Fact]
    public async Task endpoints_stay_pending_until_restarted_after_the_wizard_run_and_keep_the_name_first_entered()
    {
        var id = await api.StartTransition();
        var run = await Wizard(id, Run1, "CAS01", "cas02");
        Assert.Equal(201, run.Status);
        Assert.Equal(["CAS01", "cas02"], run.Json["pendingRestart"]!.AsArray().Select(s => s!.GetValue<string>()));

        var restart = await api.Post($"/api/transitions/{id}/hybrid/endpoints/cas01/restart", new { method = "iisreset", occurredAt = Run1.AddHours(1) });
        Assert.Equal(200, restart.Status);
        Assert.False(restart.Json["pendingRestart"]!.GetValue<bool>());
        Assert.Equal(new Dictionary<string, bool> { ["CAS01"] = false, ["cas02"] = true }, await Pending(id));

        await Wizard(id, Run1.AddDays(1), "cas01");
        Assert.True((await Pending(id))["CAS01"]);
    }

    [Fact]
    public async Task a_restart_reported_late_but_before_the_run_does_not_clear_it()
    {
        var id = await api.StartTransition();
        await Wizard(id, Run1, "cas01");
        var early = await api.Post($"/api/transitions/{id}/hybrid/endpoints/cas01/restart", new { method = "reboot", occurredAt = Run1.AddMinutes(-5) });
        Assert.True(early.Json["pendingRestart"]!.GetValue<bool>());
        Assert.True((await Pending(id))["cas01"]);
    }

    [Fact]
    public async Task restarting_an_unknown_endpoint_is_404()
    {
        var id = await api.StartTransition();
        (await api.Post($"/api/transitions/{id}/hybrid/endpoints/cas09/restart", new { method = "reboot" })).ShouldBeProblem(404);
        await Wizard(id, Run1, "cas01");
        (await api.Post($"/api/transitions/{id}/hybrid/endpoints/cas09/restart", new { method = "reboot" })).ShouldBeProblem(404);
    }

    [Fact]
    public async Task checks_are_recorded()
    {
        var id = await api.StartTransition();
        var check = await api.Post($"/api/transitions/{id}/hybrid/checks", new { check = "free-busy", direction = "cloud-to-on-prem", passed = false, detail = "Free/busy information could not be read" });
        Assert.Equal(201, check.Status);
        var checks = (await api.Get($"/api/transitions/{id}/hybrid")).Json["checks"]!.AsArray();
        Assert.False(checks[0]!["passed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task bad_wizard_runs_name_the_field()
    {
        var id = await api.StartTransition();
        (await api.Post($"/api/transitions/{id}/hybrid/configurations", new { exchangeVersion = "2013", endpoints = Array.Empty<object>() })).ShouldBeProblem(400, "endpoints");
        (await api.Post($"/api/transitions/{id}/hybrid/configurations", new { exchangeVersion = "2013", endpoints = new[] { new { server = "cas01", role = "mailbox" } } }))
            .ShouldBeProblem(400, "endpoints[0].role");
        (await api.Post($"/api/transitions/{id}/hybrid/configurations", new { exchangeVersion = "2013", endpoints = new[] { new { server = "", role = "cas" } } }))
            .ShouldBeProblem(400, "endpoints[0].server");
        (await api.Post($"/api/transitions/{id}/hybrid/endpoints/cas01/restart", new { method = "power-cycle" })).ShouldBeProblem(400, "method");
        Assert.Empty((await api.Get($"/api/transitions/{id}/hybrid")).Json["endpoints"]!.AsArray());
    }
}
