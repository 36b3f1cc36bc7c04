using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.RelayDevices;

[Collection(ApiCollection.Name)]
public class RelayDeviceTests(ApiFixture api)
{
    private async Task<(string Transition, string Device)> Printer(bool canChangePort = false, bool supportsSmtpAuth = false, bool sendsExternal = true)
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/devices", new
        {
            name = "2nd floor MFP", kind = "printer", canChangePort, supportsSmtpAuth, sendsExternal,
            currentTarget = "exch01.abc.local:25", messagesPerDay = 200, peakMessagesPerMinute = 45,
        });
        Assert.Equal(201, reply.Status);
        return (id, reply.Json["device"]!["deviceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task registering_a_device_answers_its_recommendation()
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/devices", new
        {
            name = "Scanner", kind = "scanner", canChangePort = true, supportsSmtpAuth = true, sendsExternal = true,
            currentTarget = "exch01:25", peakMessagesPerMinute = 31,
        });
        Assert.Equal(201, reply.Status);
        var recommendation = reply.Json["recommendation"]!;
        Assert.Equal("authenticated-submission-587", recommendation["method"]!.GetValue<string>());
        Assert.Single(recommendation["warnings"]!.AsArray());
        Assert.Equal(reply.Headers["Location"], $"/api/transitions/{id}/devices/{reply.Json["device"]!["deviceId"]!.GetValue<string>()}");
    }

    [Fact]
    public async Task repointing_to_a_method_the_device_cannot_use_is_422_with_the_reason()
    {
        var (id, device) = await Printer();
        var refused = await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new { method = "authenticated-submission-587", host = "smtp.office365.com", port = 587 });
        refused.ShouldBeProblem(422);
        Assert.Contains("SMTP AUTH", refused.Json["detail"]!.GetValue<string>());
        Assert.Contains("cannot change its SMTP port", refused.Json["detail"]!.GetValue<string>());
        Assert.Equal("registered", (await api.Get($"/api/transitions/{id}/devices/{device}")).Json["device"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_override_needs_a_justification_and_is_recorded()
    {
        var (id, device) = await Printer(sendsExternal: true);
        var url = $"/api/transitions/{id}/devices/{device}/repoint";
        (await api.Post(url, new { method = "direct-send", host = "abc-com.mail.protection.outlook.com", port = 25, @override = true })).ShouldBeProblem(400, "justification");

        var accepted = await api.Post(url, new { method = "direct-send", host = "abc-com.mail.protection.outlook.com", port = 25, @override = true, justification = "External recipients are only the auditor, who gets it by forwarding" });
        Assert.Equal(200, accepted.Status);
        Assert.True(accepted.Json["device"]!["override"]!.GetValue<bool>());
        var timeline = await api.Get($"/api/transitions/{id}/timeline");
        var repointed = timeline.Json["items"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "relay-device-repointed")!;
        Assert.StartsWith("External recipients", repointed["data"]!["justification"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_usable_method_is_accepted_and_a_retired_device_cannot_be_repointed()
    {
        var (id, device) = await Printer(canChangePort: false, supportsSmtpAuth: true);
        var ok = await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new { method = "authenticated-port-25", host = "smtp.office365.com", port = 25 });
        Assert.Equal(200, ok.Status);
        Assert.Equal("repointed", ok.Json["device"]!["state"]!.GetValue<string>());
        Assert.Equal("smtp.office365.com:25", ok.Json["device"]!["currentTarget"]!.GetValue<string>());

        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/devices/{device}/retire", new { })).Status);
        (await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new { method = "authenticated-port-25", host = "smtp.office365.com", port = 25 })).ShouldBeProblem(409);
        Assert.Equal("retired", (await api.Get($"/api/transitions/{id}/devices/{device}")).Json["device"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task unknown_devices_and_bad_repoints_are_refused()
    {
        var (id, device) = await Printer();
        (await api.Get($"/api/transitions/{id}/devices/nope")).ShouldBeProblem(404);
        (await api.Post($"/api/transitions/{id}/devices/nope/retire", new { })).ShouldBeProblem(404);
        (await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new { method = "carrier-pigeon", host = "x", port = 25 })).ShouldBeProblem(400, "method");
        (await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new { method = "direct-send", host = "x", port = 70000 })).ShouldBeProblem(400, "port");
        (await api.Post($"/api/transitions/{id}/devices", new { name = "x", kind = "printer" })).ShouldBeProblem(400, "canChangePort");
    }

    [Fact]
    public async Task relay_advice_stores_nothing_and_a_viewer_may_ask()
    {
        var key = await api.TenantWithKey("viewer");
        var advice = await api.Post("/api/relay-advice", new { canChangePort = false, supportsSmtpAuth = false, sendsExternal = true, maxRecipientsPerMessage = 501 }, key);
        Assert.Equal(200, advice.Status);
        Assert.Equal("anonymous-relay", advice.Json["method"]!.GetValue<string>());
        Assert.True(advice.Json["remainsOnPremises"]!.GetValue<bool>());
        Assert.Contains("500", advice.Json["warnings"]![0]!.GetValue<string>());
        (await api.Post("/api/relay-advice", new { canChangePort = true }, key)).ShouldBeProblem(400, "supportsSmtpAuth");
    }

    [Fact]
    public async Task a_late_retire_before_an_on_premises_repoint_leaves_the_device_and_the_dependency_list_agreeing()
    {
        var id = await api.StartTransition();
        var registered = await api.Post($"/api/transitions/{id}/devices", new
        {
            name = "Plant scanner", kind = "scanner", canChangePort = false, supportsSmtpAuth = false, sendsExternal = true,
            currentTarget = "exch01:25", occurredAt = "2026-11-01T09:00:00Z",
        });
        var device = registered.Json["device"]!["deviceId"]!.GetValue<string>();
        Assert.Equal(device, registered.Json["device"]!["id"]!.GetValue<string>());
        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/devices/{device}/repoint", new
        {
            method = "anonymous-relay", host = "relay01.abc.local", port = 25, occurredAt = "2026-11-10T09:00:00Z",
        })).Status);
        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/devices/{device}/retire", new { occurredAt = "2026-11-05T09:00:00Z" })).Status);
        await api.ViewsCaughtUp();

        var read = (await api.Get($"/api/transitions/{id}/devices/{device}")).Json["device"]!;
        var dependencies = (await api.Get($"/api/transitions/{id}/dependencies")).Json;
        Assert.Equal("repointed", read["state"]!.GetValue<string>()); // the re-point on 10 Nov is the latest report
        Assert.Contains(dependencies["items"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "Plant scanner");
        Assert.False(dependencies["exchangeCanBeDecommissioned"]!.GetValue<bool>());
    }
}
