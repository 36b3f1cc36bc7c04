using System.Text.Json.Nodes;
using CloudTransition.Api.Views;
using CloudTransition.IntegrationTests.Fixtures;
using CsCheck;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CloudTransition.IntegrationTests.Views;

/// <summary>
/// Random histories of devices, components, mailboxes (and their waves), blockers, directory sync and hybrid endpoints, reported through the API in a random order with late occurredAts. Whatever the
/// order, every item's own answer, the dependency list, the dashboard's progress, the Exchange verdict and a rebuilt view
/// agree with each other and with a plain oracle: an item's state is its latest report by occurredAt (creation never
/// overrides a report). The service may refuse a report (retiring a retired device); the oracle only sees what it accepted.
/// </summary>
[Collection(ApiCollection.Name)]
public class OneModelPropertyTests(ApiFixture api)
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>One report about an item: what, when (days after T0, so late ones happen), and its lifecycle rank.</summary>
    private record Report(string Kind, string Item, int Day, int Variant);

    private static readonly Gen<Report[]> Histories =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 3], Gen.Int[0, 20], Gen.Int[0, 3])
            .Select((kind, item, day, variant) => kind switch
            {
                0 => new Report("device", $"{item}", day, variant),
                1 => new Report("component", $"{item}", day, variant),
                2 => new Report("mailbox", $"{item}", day, variant),
                3 => new Report("blocker", $"{item}", day, variant),
                4 => new Report("directory", "sync", day, variant),
                6 => new Report("wave", $"{item}", day, variant % 2), // a mailbox put in wave A or B
                _ => new Report("endpoint", $"{item}", day, variant),
            })
            .Array[4, 24];

    [Fact]
    public async Task every_answer_agrees_with_the_latest_report_whatever_order_reports_arrive_in()
    {
        var key = await api.TenantWithKey("admin");
        var checkedLists = new Dictionary<string, string>();
        await Check.SampleAsync(Gen.Select(Histories, Gen.Int, Gen.Bool), async (history, seed, blocker) =>
        {
            var id = await api.StartTransition(key);
            var accepted = new List<(Report Report, string Target)>();
            var versions = new Dictionary<(string, string), int>();
            var servers = new Dictionary<string, string>();
            var devices = await Create(history, "device", i => api.Post($"/api/transitions/{id}/devices",
                new { name = $"device {i}", kind = "printer", canChangePort = true, supportsSmtpAuth = true, sendsExternal = false, currentTarget = "exch01:25", occurredAt = T0.AddDays(5) }, key),
                r => r.Json["device"]!["deviceId"]!.GetValue<string>());
            var components = await Create(history, "component", i => api.Post($"/api/transitions/{id}/components",
                new { name = $"server {i}", role = "other", physical = true, occurredAt = T0.AddDays(5) }, key),
                r => r.Json["componentId"]!.GetValue<string>());
            var waves = new List<string>();
            foreach (var name in history.Any(r => r.Kind == "wave") ? new[] { "A", "B" } : [])
                waves.Add((await api.Post($"/api/transitions/{id}/waves", new { name, plannedStart = T0, plannedCompletion = T0.AddDays(30), occurredAt = T0 }, key))
                    .Json["waveId"]!.GetValue<string>());
            var mailboxes = await Create(history.Select(r => r.Kind == "wave" ? r with { Kind = "mailbox" } : r).ToArray(), "mailbox", i => api.Post($"/api/transitions/{id}/mailboxes",
                new { address = $"user{i}@abc.com", kind = "user-mailbox", occurredAt = T0.AddDays(5) }, key), r => r.Json["rows"]![0]!["address"]!.GetValue<string>());
            var blockers = await Create(history, "blocker", i => api.Post($"/api/transitions/{id}/blockers",
                new { name = $"application {i}", kind = "lob-on-exchange", detail = "runs on EXCH01", occurredAt = T0.AddDays(5) }, key), r => r.Json["blockerId"]!.GetValue<string>());
            if (blocker) await api.Post($"/api/transitions/{id}/blockers", new { name = "BES", kind = "lob-on-exchange", detail = "on EXCH01", occurredAt = T0 }, key);

            var random = new Random(seed);
            foreach (var report in history.OrderBy(_ => random.Next()))
            {
                var (url, body) = report.Kind switch
                {
                    "blocker" => ($"/api/transitions/{id}/blockers/{blockers[report.Item]}/resolve", (object)new { resolution = "replaced", occurredAt = At(report) }),
                    "directory" when report.Variant < 2 => ($"/api/transitions/{id}/directory-sync",
                        new { tool = "entra-connect", server = $"sync0{report.Variant}", occurredAt = At(report) }),
                    "directory" => ($"/api/transitions/{id}/directory-sync?occurredAt={Uri.EscapeDataString(At(report).ToString("O"))}", null!),
                    // A wizard run adds the server, spelt either way (it keeps the spelling it was first recorded with); a restart of one no run added is 404.
                    "endpoint" when report.Variant < 2 => ($"/api/transitions/{id}/hybrid/configurations", new
                    {
                        exchangeVersion = "2010 SP3", occurredAt = At(report),
                        endpoints = new[] { new { server = report.Variant == 0 ? $"CAS0{report.Item}" : $"cas0{report.Item}", role = "cas-hub" } },
                    }),
                    "endpoint" => ($"/api/transitions/{id}/hybrid/endpoints/cas0{report.Item}/restart", new { method = "iisreset", occurredAt = At(report) }),
                    "device" => ($"/api/transitions/{id}/devices/{devices[report.Item]}/{(report.Variant < 2 ? "repoint" : "retire")}", report.Variant switch
                    {
                        0 => (object)new { method = "authenticated-submission-587", host = "smtp.office365.com", port = 587, occurredAt = At(report) },
                        1 => new { method = "connector-relay", host = "relay01.abc.local", port = 25, occurredAt = At(report) },
                        _ => new { occurredAt = At(report) },
                    }),
                    "wave" => ($"/api/transitions/{id}/waves/{waves[report.Variant]}/mailboxes", new { addresses = new[] { mailboxes[report.Item] }, occurredAt = At(report) }),
                    "component" => ($"/api/transitions/{id}/components/{components[report.Item]}/{(report.Variant < 2 ? "retain" : "decommission")}",
                        report.Variant < 2 ? new { reason = "kept for the plant", occurredAt = At(report) } : (object)new { occurredAt = At(report) }),
                    _ => ($"/api/transitions/{id}/mailboxes/{mailboxes[report.Item]}/move",
                        new { status = Status(report), error = Status(report) == "failed" ? "Large item limit" : null, occurredAt = At(report) }),
                };
                var reply = body is null ? await api.Delete(url, key) : await api.Post(url, body, key);
                Assert.True(reply.Status is 200 or 201 or 409 or 422 || (report.Kind == "endpoint" && reply.Status == 404), $"{url}: {reply}");
                if (report.Kind == "wave")
                {
                    // Recorded when it moves the mailbox: an assignment older than the one that holds changes nothing.
                    if (reply.Json["assigned"]!.GetValue<int>() == 1) accepted.Add((report, waves[report.Variant]));
                    continue;
                }
                if (report.Kind == "endpoint")
                {
                    // Every wizard run and every restart of a known endpoint is recorded; the first run names the server.
                    if (reply.Status is 200 or 201) accepted.Add((report, url));
                    if (reply.Status == 201) servers.TryAdd(report.Item, reply.Json["pendingRestart"]![0]!.GetValue<string>());
                    continue;
                }
                // A report the item already reflects answers 200 and records nothing: only a new version counts as recorded.
                var version = reply.Status is 200 or 201 ? Version(reply.Json) : 0;
                var known = versions.GetValueOrDefault((report.Kind, report.Item), Initial(report.Kind));
                if (version > known) accepted.Add((report, url));
                versions[(report.Kind, report.Item)] = Math.Max(version, known);
            }
            await api.ViewsCaughtUp();
            checkedLists[id] = await Agree(id, key, accepted, devices, components, mailboxes, blockers, servers, blocker);
            foreach (var (item, address) in mailboxes)
            {
                // The wave that holds: the latest assignment by occurredAt, the same day: the greater wave id.
                var expected = accepted.Where(a => a.Report.Kind == "wave" && a.Report.Item == item)
                    .OrderBy(a => a.Report.Day).ThenBy(a => a.Target, StringComparer.Ordinal).Select(a => a.Target).LastOrDefault();
                var answer = (await api.Get($"/api/transitions/{id}/mailboxes?address={address}", key)).Json["items"]![0]!;
                Assert.Equal(expected, answer["waveId"]?.GetValue<string>());
            }
        }, iter: 12, threads: 1);

        await Rebuilt();
        foreach (var (id, list) in checkedLists)
            Assert.Equal(list, Comparable((await api.Get($"/api/transitions/{id}/dependencies", key)).Json));
    }

    private static int Version(JsonNode answer) => (answer["device"] ?? answer)["version"]!.GetValue<int>();

    // Directory sync has no creation: its stream starts at version 0.
    private static int Initial(string kind) => kind == "directory" ? 0 : 1;

    private async Task<string> Agree(string id, string key, List<(Report Report, string Target)> accepted, Dictionary<string, string> devices,
        Dictionary<string, string> components, Dictionary<string, string> mailboxes, Dictionary<string, string> blockers,
        Dictionary<string, string> servers, bool blocker)
    {
        // The oracle: an item's state is its latest accepted report by occurredAt, ties by lifecycle rank; none: as created.
        Report? Latest(string kind, string item) => accepted.Where(a => a.Report.Kind == kind && a.Report.Item == item)
            .Select(a => a.Report).OrderBy(r => r.Day).ThenBy(r => Rank(r)).ThenBy(r => r.Variant).LastOrDefault(); // same instant and rank: by content, which here orders as the variant

        var dependencies = (await api.Get($"/api/transitions/{id}/dependencies", key)).Json;
        var listed = dependencies["items"]!.AsArray().Select(i => (i!["category"]!.GetValue<string>(), i["name"]!.GetValue<string>())).ToHashSet();
        var expectedDevices = 0;
        foreach (var (item, deviceId) in devices)
        {
            var latest = Latest("device", item);
            var state = (await api.Get($"/api/transitions/{id}/devices/{deviceId}", key)).Json["device"]!;
            var expected = latest switch { null => "registered", { Variant: < 2 } => "repointed", _ => "retired" };
            Assert.Equal(expected, state["state"]!.GetValue<string>());
            Assert.Equal(deviceId, state["id"]!.GetValue<string>());
            var remains = latest is null || latest.Variant == 1; // a relay on the organisation's own network stays on-premises
            Assert.Equal(remains, listed.Contains(("devices", $"device {item}")));
            if (remains) expectedDevices++;
        }
        var componentAnswers = (await api.Get($"/api/transitions/{id}/components", key)).Json.AsArray();
        foreach (var (item, componentId) in components)
        {
            var latest = Latest("component", item);
            var state = componentAnswers.Single(c => c!["componentId"]!.GetValue<string>() == componentId)!;
            Assert.Equal(latest switch { null => "active", { Variant: < 2 } => "retained", _ => "decommissioned" }, state["state"]!.GetValue<string>());
            Assert.Equal(latest is null, listed.Contains(("components", $"server {item}")));
        }
        var mailboxAnswers = (await api.Get($"/api/transitions/{id}/mailboxes?pageSize=1000", key)).Json["items"]!.AsArray();
        var expectedMailboxes = 0;
        foreach (var (item, address) in mailboxes)
        {
            var latest = Latest("mailbox", item);
            var status = latest is null ? "not-started" : Status(latest);
            Assert.Equal(status, mailboxAnswers.Single(m => m!["address"]!.GetValue<string>() == address)!["status"]!.GetValue<string>());
            Assert.Equal(status != "completed", listed.Contains(("mailboxes", address)));
            if (status != "completed") expectedMailboxes++;
        }

        var expectedBlockers = blocker ? 1 : 0;
        foreach (var (item, _) in blockers)
        {
            var open = Latest("blocker", item) is null;
            Assert.Equal(open, listed.Contains(("blockers", $"application {item}")));
            if (open) expectedBlockers++;
        }
        var sync = Latest("directory", "sync");
        var on = sync is { Variant: < 2 };
        Assert.Equal(on, (await api.Get($"/api/transitions/{id}/directory-sync", key)).Json["enabled"]!.GetValue<bool>());
        Assert.Equal(on ? 2 : 0, listed.Count(l => l.Item1 == "directory"));

        var hybrid = (await api.Get($"/api/transitions/{id}/hybrid", key)).Json["endpoints"]!.AsArray()
            .ToDictionary(e => e!["server"]!.GetValue<string>(), e => e!["pendingRestart"]!.GetValue<bool>());
        var expectedEndpoints = 0;
        foreach (var (item, server) in servers)
        {
            var pending = Latest("endpoint", item) is { Variant: < 2 };
            Assert.Equal(pending, hybrid[server]);
            Assert.Equal(pending, listed.Contains(("hybridEndpoints", server)));
            if (pending) expectedEndpoints++;
        }

        var progress = (await api.Get($"/api/transitions/{id}/dashboard", key)).Json["progress"]!.AsArray()
            .ToDictionary(p => p!["category"]!.GetValue<string>(), p => p!["total"]!.GetValue<int>() - p["done"]!.GetValue<int>());
        Assert.Equal(expectedDevices, progress["devices"]);
        Assert.Equal(expectedMailboxes, progress["mailboxes"]);
        Assert.Equal(expectedBlockers, progress["blockers"]);
        Assert.Equal(expectedEndpoints, progress["hybridEndpoints"]);
        Assert.Equal(expectedDevices + expectedMailboxes + expectedBlockers + expectedEndpoints == 0, dependencies["exchangeCanBeDecommissioned"]!.GetValue<bool>());

        // As of now, folded from the events rather than read from the view: the same list (and, at the end, after a rebuild).
        var folded = (await api.Get($"/api/transitions/{id}/dependencies?asOf={Uri.EscapeDataString(api.UtcNow.ToString("O"))}", key)).Json;
        Assert.Equal(Comparable(dependencies), Comparable(folded));
        return Comparable(dependencies);
    }

    private async Task Rebuilt()
    {
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(TransitionViewProjection.Name, CancellationToken.None);
        await api.ViewsCaughtUp();
    }

    private static string Comparable(JsonNode view)
    {
        var copy = view.DeepClone().AsObject();
        copy.Remove("asOf");
        return copy.ToJsonString();
    }

    private static async Task<Dictionary<string, string>> Create(Report[] history, string kind, Func<string, Task<Reply>> create, Func<Reply, string> idOf)
    {
        var created = new Dictionary<string, string>();
        foreach (var item in history.Where(r => r.Kind == kind).Select(r => r.Item).Distinct())
        {
            var reply = await create(item);
            Assert.True(reply.Status == 201, reply.ToString());
            created[item] = idOf(reply);
        }
        return created;
    }

    private static DateTimeOffset At(Report r) => T0.AddDays(r.Day);

    private static string Status(Report r) => r.Variant switch { 0 => "queued", 1 => "syncing", 2 => "completed", _ => "failed" };

    /// <summary>The lifecycle order the service breaks same-instant ties with.</summary>
    private static int Rank(Report r) => r.Kind switch
    {
        "directory" => r.Variant < 2 ? 0 : 1,
        "endpoint" => r.Variant < 2 ? 0 : 1,
        "blocker" => 1,
        "device" => r.Variant < 2 ? 1 : 2,
        "component" => r.Variant < 2 ? 1 : 2,
        _ => r.Variant switch { 0 => 2, 1 => 3, 2 => 5, _ => 6 },
    };
}
