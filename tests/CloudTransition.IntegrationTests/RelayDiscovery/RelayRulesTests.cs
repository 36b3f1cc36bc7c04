using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.RelayDiscovery;

/// <summary>Microsoft's dated rules through the API: the same device judged as of November 2026 and January 2027.</summary>
[Collection(ApiCollection.Name)]
public class RelayRulesTests(ApiFixture api)
{
    private static readonly DateTimeOffset November = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private async Task<(string Id, string DeviceId)> BasicAuthScanner()
    {
        var started = await api.Post("/api/transitions", new { organisation = "Rules Ltd", domains = new[] { "abc.com" }, occurredAt = November.AddDays(-30) });
        var id = started.Json["id"]!.GetValue<string>();
        var device = await api.Post($"/api/transitions/{id}/devices", new
        {
            name = "Finance scanner", kind = "scanner", canChangePort = true, supportsSmtpAuth = true, sendsExternal = false, basicAuthOnly = true,
            currentTarget = "exch01:25", occurredAt = November.AddDays(-20),
        });
        Assert.True(device.Status == 201, device.ToString());
        return (id, device.Json["device"]!["deviceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_basic_auth_device_re_pointed_to_smtp_auth_is_listed_as_expiring_and_re_judged_for_january()
    {
        var (id, deviceId) = await BasicAuthScanner();
        using (api.Clock.FreezeAt(November))
        {
            var summer = await api.Get($"/api/transitions/{id}/devices/{deviceId}?on=2026-06-01");
            Assert.Equal(("authenticated-submission-587", "2026-12-31"), (summer.Json["recommendation"]!["method"]!.GetValue<string>(),
                summer.Json["recommendation"]!["worksUntil"]!.GetValue<string>()));
            var now = await api.Get($"/api/transitions/{id}/devices/{deviceId}");
            Assert.Equal("high-volume-email", now.Json["recommendation"]!["method"]!.GetValue<string>());

            // Re-pointed in November (overriding the advice it is about to lose): fine until the end of December.
            var repointed = await api.Post($"/api/transitions/{id}/devices/{deviceId}/repoint",
                new { method = "authenticated-submission-587", host = "smtp.office365.com", port = 587, occurredAt = November.AddHours(-1) });
            Assert.True(repointed.Status == 200, repointed.ToString());
            Assert.Equal("2026-12-31", repointed.Json["currentMethodEnds"]!.GetValue<string>());

            await api.ViewsCaughtUp();
            var dashboard = (await api.Get($"/api/transitions/{id}/dashboard")).Json;
            var expiring = dashboard["expiringDevices"]!.AsArray().Single()!;
            Assert.Equal(("Finance scanner", 41, "high-volume-email"), (expiring["name"]!.GetValue<string>(), expiring["daysLeft"]!.GetValue<int>(),
                expiring["recommended"]!.GetValue<string>()));
            Assert.Contains(dashboard["risks"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "device-method-expiring" && r["detail"]!.GetValue<string>().Contains("2026-12-31"));
        }

        // In January the method has stopped: re-pointing to it again is refused, the advice is High Volume Email.
        var january = await api.Get($"/api/transitions/{id}/devices/{deviceId}?on=2027-01-15");
        Assert.Equal("high-volume-email", january.Json["recommendation"]!["method"]!.GetValue<string>());
        using (api.Clock.FreezeAt(new DateTimeOffset(2027, 1, 15, 9, 0, 0, TimeSpan.Zero)))
            (await api.Post($"/api/transitions/{id}/devices/{deviceId}/repoint", new { method = "authenticated-port-25", host = "smtp.office365.com", port = 25 }))
                .ShouldBeProblem(422);

        // The tenant turned Basic back on: SMTP AUTH keeps working, with the removal still to come.
        var settings = await api.Put($"/api/transitions/{id}/settings", new { smtpBasicAuthReenabled = true, occurredAt = November });
        Assert.True(settings.Status == 200, settings.ToString());
        Assert.Equal((24, true, false), (settings.Json["stallAfterHours"]!.GetValue<int>(), settings.Json["smtpBasicAuthReenabled"]!.GetValue<bool>(),
            settings.Json["rejectDirectSend"]!.GetValue<bool>()));
        var kept = await api.Get($"/api/transitions/{id}/devices/{deviceId}?on=2027-01-15");
        Assert.Equal("authenticated-submission-587", kept.Json["recommendation"]!["method"]!.GetValue<string>());
        // As of before that setting, the advice for January was still High Volume Email.
        var before = await api.Get($"/api/transitions/{id}/devices/{deviceId}?on=2027-01-15&asOf={Uri.EscapeDataString(November.AddMinutes(-30).ToString("O"))}");
        Assert.Equal("high-volume-email", before.Json["recommendation"]!["method"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_tenant_rejecting_direct_send_gets_a_connector_relay_for_its_printers_and_the_advice_route_takes_the_day()
    {
        var started = await api.Post("/api/transitions", new { organisation = "Direct Ltd", domains = new[] { "abc.com" } });
        var id = started.Json["id"]!.GetValue<string>();
        var printer = await api.Post($"/api/transitions/{id}/devices",
            new { name = "Lobby printer", kind = "printer", canChangePort = false, supportsSmtpAuth = false, sendsExternal = false, currentTarget = "exch01:25" });
        Assert.Equal("direct-send", printer.Json["recommendation"]!["method"]!.GetValue<string>());
        (await api.Put($"/api/transitions/{id}/settings", new { rejectDirectSend = true })).Json["rejectDirectSend"]!.GetValue<bool>();
        var listed = (await api.Get($"/api/transitions/{id}/devices")).Json[0]!;
        Assert.Equal("connector-relay", listed["recommendation"]!["method"]!.GetValue<string>());
        (await api.Put($"/api/transitions/{id}/settings", new { })).ShouldBeProblem(400, "body");

        var november = await api.Post("/api/relay-advice?on=2026-11-15", new { canChangePort = true, supportsSmtpAuth = true, sendsExternal = true, basicAuthOnly = true });
        Assert.Equal(("azure-communication-services", "2026-11-15"), (november.Json["method"]!.GetValue<string>(), november.Json["on"]!.GetValue<string>()));
        var june = await api.Post("/api/relay-advice?on=2026-06-01", new { canChangePort = true, supportsSmtpAuth = true, sendsExternal = true, basicAuthOnly = true });
        Assert.Equal("authenticated-submission-587", june.Json["method"]!.GetValue<string>());
        (await api.Post("/api/relay-advice?on=2026-13-01", new { canChangePort = true, supportsSmtpAuth = true, sendsExternal = true })).ShouldBeProblem(400);
    }
}
