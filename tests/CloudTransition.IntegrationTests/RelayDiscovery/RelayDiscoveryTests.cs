using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;
using static CloudTransition.IntegrationTests.Fixtures.ExchangeLogs;

namespace CloudTransition.IntegrationTests.RelayDiscovery;

[Collection(ApiCollection.Name)]
public class RelayDiscoveryTests(ApiFixture api)
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A scanner relaying anonymously to colleagues, and an application on 587 with AUTH mailing a customer.</summary>
    private static readonly string First = FirstLog();

    private static string FirstLog() => ReceiveHeader
        + Session(Day1, "10.0.1.50", "mfp-2ndfloor.abc.local", 25, false, "scanner@abc.com", ["ann@abc.com"], ["bob@abc.com", "cy@abc.com"])
        + Session(Day1.AddHours(1), "10.0.2.20", "erp01", 587, true, "erp@abc.com", ["orders@customer.example"]);

    private Task<Reply> Discover(string id, string body, string contentType = "text/plain", IDictionary<string, string>? headers = null) =>
        api.Send("POST", $"/api/transitions/{id}/relay-discovery", Encoding.UTF8.GetBytes(body), null, contentType, headers);

    private static JsonNode Sender(Reply reply, string ip) => reply.Json["senders"]!.AsArray().Single(s => s!["remoteIp"]!.GetValue<string>() == ip)!;

    private async Task<JsonNode> Dependencies(string id)
    {
        await api.ViewsCaughtUp();
        return (await api.Get($"/api/transitions/{id}/dependencies")).Json;
    }

    [Fact]
    public async Task discovery_finds_unknown_senders_which_keep_exchange_until_registered_or_dismissed()
    {
        var id = await api.StartTransition();
        var first = await Discover(id, First);
        Assert.True(first.Status == 201, first.ToString());
        var discoveryId = first.Json["discoveryId"]!.GetValue<string>();
        var scanner = Sender(first, "10.0.1.50");
        Assert.Equal(("unknown", "mfp-2ndfloor.abc.local", 25, false, false, 2), (scanner["status"]!.GetValue<string>(), scanner["hostname"]!.GetValue<string>(),
            scanner["localPort"]!.GetValue<int>(), scanner["authenticated"]!.GetValue<bool>(), scanner["sendsExternal"]!.GetValue<bool>(),
            scanner["messagesPerDay"]!.GetValue<int>()));
        Assert.Equal("direct-send", scanner["recommendation"]!["method"]!.GetValue<string>());
        Assert.Contains(scanner["assumptions"]!.AsArray(), a => a!.GetValue<string>().Contains("port other than 25"));
        var app = Sender(first, "10.0.2.20");
        Assert.Equal((true, true, true, "LOGIN"), (app["authenticated"]!.GetValue<bool>(), app["tls"]!.GetValue<bool>(),
            app["sendsExternal"]!.GetValue<bool>(), app["authMechanism"]!.GetValue<string>()));

        var dependencies = await Dependencies(id);
        Assert.Equal(2, dependencies["byCategory"]!["unknownSenders"]!.GetValue<int>());
        Assert.False(dependencies["exchangeCanBeDecommissioned"]!.GetValue<bool>());
        Assert.Contains(dependencies["why"]!.AsArray(), w => w!.GetValue<string>().Contains("2 sender(s) seen relaying"));
        var item = dependencies["items"]!.AsArray().Single(i => i!["category"]!.GetValue<string>() == "unknownSenders" && i["name"]!.GetValue<string>() == "10.0.1.50")!;
        Assert.Contains(@"EXCH01\Default Frontend EXCH01", item["reason"]!.GetValue<string>());

        var registered = await api.Post($"/api/transitions/{id}/relay-discovery/{discoveryId}/register", new { remoteIps = new[] { "10.0.1.50" }, kind = "scanner" });
        Assert.True(registered.Status == 200, registered.ToString());
        var deviceId = registered.Json[0]!["deviceId"]!.GetValue<string>();
        var device = (await api.Get($"/api/transitions/{id}/devices/{deviceId}")).Json["device"]!;
        Assert.Equal(("10.0.1.50", "mfp-2ndfloor.abc.local", "scanner", false, "10.0.0.5:25"), (device["ipAddress"]!.GetValue<string>(), device["name"]!.GetValue<string>(),
            device["kind"]!.GetValue<string>(), device["facts"]!["canChangePort"]!.GetValue<bool>(), device["currentTarget"]!.GetValue<string>()));
        var twice = await api.Post($"/api/transitions/{id}/relay-discovery/{discoveryId}/register", new { remoteIps = new[] { "10.0.1.50" } });
        Assert.Equal((deviceId, false), (twice.Json[0]!["deviceId"]!.GetValue<string>(), twice.Json[0]!["registered"]!.GetValue<bool>()));

        var dismissed = await api.Post($"/api/transitions/{id}/relay-senders/10.0.2.20/dismiss", new { reason = "The ERP test instance, switched off with the last Exchange server." });
        Assert.True(dismissed.Status == 200, dismissed.ToString());
        Assert.Equal("dismissed", dismissed.Json["status"]!.GetValue<string>());

        dependencies = await Dependencies(id);
        Assert.Equal(0, dependencies["byCategory"]!["unknownSenders"]!.GetValue<int>());
        Assert.Equal(1, dependencies["byCategory"]!["devices"]!.GetValue<int>());
        var read = await api.Get($"/api/transitions/{id}/relay-discovery/{discoveryId}");
        Assert.Equal(("registered", deviceId), (Sender(read, "10.0.1.50")["status"]!.GetValue<string>(), Sender(read, "10.0.1.50")["deviceId"]!.GetValue<string>()));
        var unknown = await api.Get($"/api/transitions/{id}/relay-senders?status=unknown");
        Assert.Empty(unknown.Json.AsArray());
    }

    [Fact]
    public async Task the_last_exchange_server_cannot_be_decommissioned_while_an_unknown_sender_relays_through_it()
    {
        var id = await api.StartTransition();
        var exchange = (await api.Post($"/api/transitions/{id}/components", new { name = "EXCH01", role = "exchange-mailbox", physical = true })).Json["componentId"]!.GetValue<string>();
        Assert.Equal(201, (await Discover(id, ReceiveHeader + Session(Day1, "10.0.1.50", "mfp-2ndfloor.abc.local", 25, false, "scanner@abc.com", ["ann@abc.com"]))).Status);
        var refused = await api.Post($"/api/transitions/{id}/components/{exchange}/decommission", new { });
        refused.ShouldBeProblem(409);
        Assert.Contains(refused.Json["dependents"]!.AsArray(), d => d!.GetValue<string>() == "unknown sender 10.0.1.50 (relays through Exchange)");

        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/relay-senders/10.0.1.50/dismiss", new { reason = "The old lobby scanner, unplugged on 2 November." })).Status);
        var decommissioned = await api.Post($"/api/transitions/{id}/components/{exchange}/decommission", new { });
        Assert.True(decommissioned.Status == 200, decommissioned.ToString());
    }

    [Fact]
    public async Task the_same_log_again_records_nothing_and_a_later_log_updates_last_seen_and_volumes()
    {
        var id = await api.StartTransition();
        var first = await Discover(id, First);
        var discoveryId = first.Json["discoveryId"]!.GetValue<string>();
        var events = (await api.Get($"/api/transitions/{id}/timeline?limit=1000")).Json["items"]!.AsArray().Count;

        var again = await Discover(id, First);
        Assert.True(again.Status == 200, again.ToString());
        Assert.Equal(discoveryId, again.Json["discoveryId"]!.GetValue<string>());
        Assert.Equal(events, (await api.Get($"/api/transitions/{id}/timeline?limit=1000")).Json["items"]!.AsArray().Count);

        // The same lines with Windows line ends: another body (a reading of its own), but nothing new about any sender.
        var windows = await Discover(id, First.Replace("\n", "\r\n"));
        Assert.True(windows.Status == 201, windows.ToString());
        var types = (await api.Get($"/api/transitions/{id}/timeline?limit=1000")).Json["items"]!.AsArray().Skip(events).Select(e => e!["type"]!.GetValue<string>());
        Assert.Equal(["relay-logs-read"], types);

        var day2 = Day1.AddDays(1);
        var later = ReceiveHeader + string.Concat(Enumerable.Range(0, 5).Select(i =>
            Session(day2.AddMinutes(i * 10), "10.0.1.50", "mfp-2ndfloor.abc.local", 25, false, "scanner@abc.com", ["ann@abc.com"])));
        var second = await Discover(id, later);
        Assert.True(second.Status == 201, second.ToString());
        Assert.NotEqual(discoveryId, second.Json["discoveryId"]!.GetValue<string>());
        var scanner = Sender(second, "10.0.1.50");
        Assert.Equal((5, "2026-11-03"), (scanner["messagesPerDay"]!.GetValue<int>(), scanner["busiestDay"]!.GetValue<string>()));
        Assert.True(scanner["lastSeen"]!.GetValue<DateTimeOffset>() > day2);
        Assert.True(scanner["firstSeen"]!.GetValue<DateTimeOffset>() < day2);
        Assert.Single(second.Json["senders"]!.AsArray());
    }

    [Fact]
    public async Task a_device_registered_with_an_ip_claims_the_sender_a_later_discovery_finds()
    {
        var id = await api.StartTransition();
        var device = await api.Post($"/api/transitions/{id}/devices", new
        {
            name = "ERP", kind = "application", canChangePort = true, supportsSmtpAuth = true, sendsExternal = true, currentTarget = "exch01:587", ipAddress = "10.0.2.20",
        });
        Assert.True(device.Status == 201, device.ToString());
        var found = await Discover(id, First);
        Assert.Equal(("registered", device.Json["device"]!["deviceId"]!.GetValue<string>()),
            (Sender(found, "10.0.2.20")["status"]!.GetValue<string>(), Sender(found, "10.0.2.20")["deviceId"]!.GetValue<string>()));
        Assert.Equal(1, (await Dependencies(id))["byCategory"]!["unknownSenders"]!.GetValue<int>());

        var retired = await api.Post($"/api/transitions/{id}/devices/{device.Json["device"]!["deviceId"]!.GetValue<string>()}/retire", new { });
        Assert.True(retired.Status == 200, retired.ToString());
        // Retired after it was last seen: the sender is still accounted for.
        Assert.Equal(1, (await Dependencies(id))["byCategory"]!["unknownSenders"]!.GetValue<int>());
        (await api.Post($"/api/transitions/{id}/devices", new { name = "x", kind = "other", canChangePort = true, supportsSmtpAuth = true, sendsExternal = true, currentTarget = "e:25", ipAddress = "10.0.2" }))
            .ShouldBeProblem(400, "ipAddress");
    }

    [Fact]
    public async Task gzip_on_the_wire_reads_the_same_and_a_body_over_four_megabytes_is_taken_here()
    {
        var id = await api.StartTransition();
        var log = new StringBuilder(ReceiveHeader);
        for (var i = 0; log.Length < 5_000_000; i++)
            log.Append(Session(Day1.AddSeconds(i * 20), $"10.0.{i % 200}.{i % 7 + 10}", $"host{i % 200}", 25, false, "app@abc.com", ["ann@abc.com"]));
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(log.ToString()));
        var zipped = await api.Send("POST", $"/api/transitions/{id}/relay-discovery", compressed.ToArray(), null, "text/plain",
            new Dictionary<string, string> { ["Content-Encoding"] = "gzip" });
        Assert.True(zipped.Status == 201, zipped.ToString()[..Math.Min(500, zipped.Body.Length)]);
        Assert.Equal(0, zipped.Json["malformed"]!.GetValue<long>());
        var plain = await Discover(id, log.ToString());
        Assert.True(plain.Status == 200, plain.ToString()[..Math.Min(500, plain.Body.Length)]); // the same log: the same discovery
        Assert.Equal(zipped.Json["discoveryId"]!.GetValue<string>(), plain.Json["discoveryId"]!.GetValue<string>());
        Assert.True(zipped.Json["senders"]!.AsArray().Count > 100);
    }

    [Fact]
    public async Task volumes_over_exchange_onlines_limits_are_warnings_on_the_finding_and_risks_on_the_dashboard()
    {
        var id = await api.StartTransition();
        var everyone = Enumerable.Range(0, 600).Select(i => $"user{i}@abc.com").ToArray();
        var log = ReceiveHeader + Session(Day1, "10.0.3.30", "newsletter01", 25, false, "news@abc.com", everyone)
            + string.Concat(Enumerable.Range(0, 35).Select(i => Session(Day1.AddMinutes(10).AddSeconds(i), "10.0.3.31", "alerts01", 25, false, "alerts@abc.com", ["ops@abc.com"])));
        var found = await Discover(id, log);
        Assert.True(found.Status == 201, found.ToString());
        Assert.Contains(Sender(found, "10.0.3.30")["recommendation"]!["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("600 recipients in one message"));
        Assert.Equal(35, Sender(found, "10.0.3.31")["peakMessagesPerMinute"]!.GetValue<int>());
        await api.ViewsCaughtUp();
        var risks = (await api.Get($"/api/transitions/{id}/dashboard")).Json["risks"]!.AsArray();
        Assert.Equal(["10.0.3.30", "10.0.3.31"], risks.Where(r => r!["kind"]!.GetValue<string>() == "sender-over-limits").Select(r => r!["item"]!.GetValue<string>()));
        Assert.Equal(2, (await api.Get($"/api/transitions/{id}/dashboard")).Json["unknownSenders"]!.GetValue<int>());
    }

    [Fact]
    public async Task what_is_no_exchange_log_is_refused_naming_why_and_nothing_is_recorded()
    {
        var id = await api.StartTransition();
        (await Discover(id, "")).ShouldBeProblem(400, "body");
        var notLog = await Discover(id, "name,address\nann,ann@abc.com\n");
        notLog.ShouldBeProblem(422);
        Assert.Contains("#Fields:", notLog.Json["detail"]!.GetValue<string>());
        (await api.Send("POST", $"/api/transitions/{id}/relay-discovery", Encoding.UTF8.GetBytes("not gzip at all"), null, "text/plain",
            new Dictionary<string, string> { ["Content-Encoding"] = "gzip" })).ShouldBeProblem(400, "body");
        (await api.Send("POST", $"/api/transitions/{id}/relay-discovery", Encoding.UTF8.GetBytes(First), null, "text/plain",
            new Dictionary<string, string> { ["Content-Encoding"] = "br" })).ShouldBeProblem(415);
        (await Discover(id, FirstLog(), "application/json")).ShouldBeProblem(415);
        (await Discover("no-such-transition", First)).ShouldBeProblem(404);

        var malformed = await Discover(id, First + "2026-11-02T08:00:00.000Z,only,four,fields\n");
        Assert.True(malformed.Status == 201, malformed.ToString());
        Assert.Equal(1, malformed.Json["malformed"]!.GetValue<long>());
        Assert.Equal(First.Count(c => c == '\n') + 1, malformed.Json["firstMalformed"]![0]!["line"]!.GetValue<long>());
        var discoveryId = malformed.Json["discoveryId"]!.GetValue<string>();

        (await api.Post($"/api/transitions/{id}/relay-discovery/{discoveryId}/register", new { remoteIps = new[] { "10.0.1.50", "10.9.9.9" } }))
            .ShouldBeProblem(400, "remoteIps[1]");
        (await api.Post($"/api/transitions/{id}/relay-discovery/{discoveryId}/register", new { remoteIps = new[] { "printer" } })).ShouldBeProblem(400, "remoteIps[0]");
        (await api.Post($"/api/transitions/{id}/relay-discovery/{discoveryId}/register", new { remoteIps = Array.Empty<string>() })).ShouldBeProblem(400, "remoteIps");
        (await api.Post($"/api/transitions/{id}/relay-discovery/nope/register", new { remoteIps = new[] { "10.0.1.50" } })).ShouldBeProblem(404);
        Assert.Empty((await api.Get($"/api/transitions/{id}/devices")).Json.AsArray());
        (await api.Post($"/api/transitions/{id}/relay-senders/10.9.9.9/dismiss", new { reason = "x" })).ShouldBeProblem(404);
        (await api.Post($"/api/transitions/{id}/relay-senders/10.0.1.50/dismiss", new { reason = "" })).ShouldBeProblem(400, "reason");
        (await api.Get($"/api/transitions/{id}/relay-discovery/nope")).ShouldBeProblem(404);
        (await api.Get($"/api/transitions/{id}/relay-senders?status=lost")).ShouldBeProblem(400);
    }
}
