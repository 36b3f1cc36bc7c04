using System.Text.Json.Nodes;
using CloudTransition.Api.Hosting;
using CloudTransition.Api.Views;
using CloudTransition.IntegrationTests.Fixtures;
using Marten.Events.Daemon.Coordination;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using static CloudTransition.IntegrationTests.Fixtures.RealisticMigration;

namespace CloudTransition.IntegrationTests.Views;

/// <summary>The views of ABC Ltd's migration, asserted field by field, live, as of past instants, and after a rebuild.</summary>
[Collection(ApiCollection.Name)]
public class ViewsTests(ApiFixture api) : IAsyncLifetime
{
    private static Task<(string Key, RealisticMigration Migration)>? _recorded;
    private string _key = "";
    private RealisticMigration _migration = null!;
    private string Url(string view, DateTimeOffset? asOf = null) =>
        $"/api/transitions/{_migration.Id}/{view}" + (asOf is { } at ? $"?asOf={Uri.EscapeDataString(at.ToString("O"))}" : "");

    /// <summary>The migration is recorded once for all these tests; none of them changes it.</summary>
    public async Task InitializeAsync()
    {
        (_key, _migration) = await (_recorded ??= Record());
        await api.ViewsCaughtUp();
    }

    private async Task<(string, RealisticMigration)> Record()
    {
        var key = await api.TenantWithKey();
        return (key, await new RealisticMigration(api, key).Record());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonNode> Read(string view, DateTimeOffset? asOf = null)
    {
        var reply = await api.Get(Url(view, asOf), _key);
        Assert.True(reply.Status == 200, reply.ToString());
        return reply.Json;
    }

    [Fact]
    public async Task remaining_dependencies_name_every_item_with_its_reason_and_the_verdict()
    {
        var deps = await Read("dependencies");

        // 88 mailboxes (43 not started, 5 failed, 40 of the others not moved... i.e. 300 - 212 completed),
        // 5 devices (4 not re-pointed + the fax on an on-prem anonymous relay), exch03, AD + sync server,
        // 10 components (12 - SPAM01 decommissioned - DC01 retained), the BlackBerry blocker.
        Assert.Equal(107, deps["total"]!.GetValue<int>());
        var by = deps["byCategory"]!;
        Assert.Equal([88, 5, 1, 2, 10, 1], new[] { "mailboxes", "devices", "hybridEndpoints", "directory", "components", "blockers" }.Select(c => by[c]!.GetValue<int>()));
        var items = deps["items"]!.AsArray();
        Assert.Equal(107, items.Count);

        var fax = items.Single(i => i!["name"]!.GetValue<string>() == "Legacy fax")!;
        Assert.Contains("stays on-premises", fax["reason"]!.GetValue<string>());
        var endpoint = items.Single(i => i!["category"]!.GetValue<string>() == "hybridEndpoints")!;
        Assert.Equal("exch03", endpoint["name"]!.GetValue<string>());
        Assert.Contains("iisreset", endpoint["unblockedBy"]!.GetValue<string>());
        var failed = items.Single(i => i!["name"]!.GetValue<string>() == Address(Completed))!;
        Assert.Contains("Large item limit exceeded", failed["reason"]!.GetValue<string>());
        Assert.DoesNotContain(items, i => i!["name"]!.GetValue<string>() is "SPAM01" or "DC01" or "MFP-1");

        Assert.False(deps["exchangeCanBeDecommissioned"]!.GetValue<bool>());
        Assert.Equal([
            "88 mailbox(es) not yet moved to Exchange Online",
            "5 device(s) still send mail through on-premises servers",
            "1 hybrid endpoint(s) pending a restart after the Hybrid Configuration Wizard",
            "1 application(s) must run on an Exchange server",
        ], deps["why"]!.AsArray().Select(w => w!.GetValue<string>()));
    }

    [Fact]
    public async Task role_impacts_follow_the_weights_and_explain_themselves()
    {
        var roles = (await Read("role-impacts"))["roles"]!.AsArray().ToDictionary(r => r!["role"]!.GetValue<string>(), r => r!);
        Assert.Equal(8, roles.Count);

        // Mailbox data: 260 x 55 GB + 30 x 5 GB + 10 x 8 GB = 14,530 GB at the baseline; 212 users moved = 11,660 GB = 11.4 TB.
        // SAN: 1 h/TB of mailbox data + 0.5 h/TB of SAN (24 + 40 TB): 14.19 + 32 = 46.2 -> 2.80 + 32 = 34.8.
        AssertRole(roles["san-management"], 46.2m, 34.8m, "shrinking");
        Assert.Contains("212 mailboxes moved: 11.4 TB of fast SAN no longer needed", Drivers(roles["san-management"]));
        // Backup: 2 h/TB + 1.5 h per server (8 servers, SPAM01 gone): 28.38 + 12 = 40.4 -> 5.61 + 10.5 = 16.1.
        AssertRole(roles["backup-operations"], 40.4m, 16.1m, "shrinking");
        // Hardware: 3 h per physical box; SPAM01 was virtual, so 8 boxes still run.
        AssertRole(roles["hardware-maintenance"], 24m, 24m, "steady");
        AssertRole(roles["infrastructure-design"], 24m, 22m, "shrinking");
        // Network: 4 h x (LB01, FW01) + 0.5 h x devices (10 -> 5) + 0.02 h x cloud mailboxes (0 -> 212).
        AssertRole(roles["network-administration"], 13m, 14.7m, "growing");
        // Help desk: 0.1 h per user under directory sync (260 users).
        AssertRole(roles["help-desk"], 0m, 26m, "growing");
        Assert.Contains("directory sync enabled: password resets, accounts and groups of 260 users now go through AD", Drivers(roles["help-desk"]));
        // Directory: 2 h per DC (DC01 retained, so both still run) + 0.05 h per synced user.
        AssertRole(roles["directory-administration"], 4m, 17m, "growing");
        // Vendor liaison: 6 h per open case (2 open) + 0.01 h per cloud mailbox.
        AssertRole(roles["vendor-support-liaison"], 0m, 14.1m, "growing");
    }

    [Fact]
    public async Task the_dashboard_shows_progress_risks_cases_and_no_forecast_when_nothing_moved_lately()
    {
        var dash = await Read("dashboard");
        Assert.Equal(67.3m, dash["percentDone"]!.GetValue<decimal>()); // 220 of 327
        Assert.Equal(107, dash["remaining"]!.GetValue<int>());
        var mailboxes = dash["progress"]!.AsArray().Single(p => p!["category"]!.GetValue<string>() == "mailboxes")!;
        Assert.Equal((212, 300, 70.7m), (mailboxes["done"]!.GetValue<int>(), mailboxes["total"]!.GetValue<int>(), mailboxes["percent"]!.GetValue<decimal>()));

        var risks = dash["risks"]!.AsArray().Select(r => (r!["kind"]!.GetValue<string>(), r["item"]!.GetValue<string>())).ToList();
        Assert.Contains(("endpoint-pending-restart", "exch03"), risks);
        Assert.Contains(("device-over-limits", "Monitoring"), risks);
        Assert.Equal(Failed, risks.Count(r => r.Item1 == "failed-move"));
        Assert.Contains(("case-awaiting-first-response", "Autodiscover fails for on-prem users"), risks);

        var cases = dash["supportCases"]!;
        Assert.Equal(2, cases["open"]!.GetValue<int>());
        Assert.Equal(1, cases["awaitingFirstResponse"]!.GetValue<int>());
        Assert.Equal(22m, cases["medianHoursToFirstResponse"]!.GetValue<decimal>()); // 42 h direct, 2 h partner
        Assert.Equal(42m, cases["byChannel"]!["direct"]!["medianHoursToFirstResponse"]!.GetValue<decimal>());
        Assert.Equal(2m, cases["byChannel"]!["partner"]!["medianHoursToFirstResponse"]!.GetValue<decimal>());

        // Everything happened in September and October: nothing cleared in the last 28 days.
        Assert.Null(dash["forecast"]!["completionDate"]);
        Assert.Contains("No dependency was cleared", dash["forecast"]!["basis"]!.GetValue<string>());
        Assert.Equal(0m, dash["velocity"]!["last28Days"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task as_of_a_past_instant_the_views_show_what_stood_then()
    {
        // Day 10: inventory done, nothing moved, no device re-pointed yet, exch02 restarted.
        var early = await Read("dependencies", Day(10));
        Assert.Equal(300 + 10 + 1 + 2 + 12 + 1, early["total"]!.GetValue<int>());

        // Day 35, 00:00: moves completed on days 15..34 are m < 151.4 -> 152 mailboxes; 5 cloud devices re-pointed on day 20;
        // SPAM01 and DC01 settled on days 30-31: remaining = 148 + 5 + 1 + 2 + 10 + 1 = 167.
        var at = Day(35, 0);
        var dash = await Read("dashboard", at);
        Assert.Equal(167, dash["remaining"]!.GetValue<int>());
        Assert.Equal(at, dash["asOf"]!.GetValue<DateTimeOffset>());
        // Velocity counts what was cleared, not the net change: nothing was cleared by day 7; by day 35, 152 mailboxes, 5 devices,
        // exch02, SPAM01 and DC01 = 160 -> 160 / 28 = 5.71 a day. (The devices and endpoints added meanwhile raised the scope instead.)
        Assert.Equal(5.71m, dash["velocity"]!["last28Days"]!.GetValue<decimal>());
        // 167 / 5.71 = 29.2 -> 30 days after day 35 = 2026-11-05.
        Assert.Equal("2026-11-05", dash["forecast"]!["completionDate"]!.GetValue<string>());
        var burnDown = dash["burnDown"]!.AsArray();
        Assert.Equal("2026-09-01", burnDown[0]!["date"]!.GetValue<string>());
        Assert.Equal(12, burnDown[0]!["remaining"]!.GetValue<int>());
        Assert.Equal(167, burnDown[^1]!["remaining"]!.GetValue<int>());

        var roles = (await Read("role-impacts", Day(3)))["roles"]!.AsArray();
        Assert.All(roles, r => Assert.Equal("steady", r!["trend"]!.GetValue<string>()));
    }

    [Fact]
    public async Task a_view_as_of_t_equals_the_live_view_of_a_store_that_only_knew_events_up_to_t()
    {
        var t = Day(35, 0);
        var otherKey = await api.TenantWithKey();
        var partial = await new RealisticMigration(api, otherKey, until: t).Record();
        await api.ViewsCaughtUp();

        foreach (var view in new[] { "dependencies", "role-impacts", "dashboard" })
        {
            var asOf = await Read(view, t);
            JsonNode live;
            using (api.Clock.FreezeAt(t))
                live = (await api.Get($"/api/transitions/{partial.Id}/{view}", otherKey)).Json;
            Assert.Equal(Comparable(live), Comparable(asOf));
        }
    }

    [Fact]
    public async Task a_rebuild_reproduces_the_views()
    {
        var before = await Task.WhenAll(new[] { "dependencies", "role-impacts", "dashboard" }.Select(v => Read(v)));
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(TransitionViewProjection.Name, CancellationToken.None);
        await api.ViewsCaughtUp();

        var after = await Task.WhenAll(new[] { "dependencies", "role-impacts", "dashboard" }.Select(v => Read(v)));
        for (var i = 0; i < before.Length; i++) Assert.Equal(Comparable(before[i]), Comparable(after[i]));
    }

    [Fact]
    public async Task a_rebuild_as_the_projections_command_runs_it_writes_each_mailbox_state_as_the_inline_projection_did()
    {
        var before = await MailboxStates();
        Assert.NotEmpty(before);
        var started = await Scalar<DateTime>("select now()");
        using (var rebuilding = DocumentStore.For(o => EventStore.Configure(o, api.ConnectionString, applySchema: false, rebuilding: true)))
        {
            // The mailboxes' table as the service lays it out: the command, which applies the schema, changes nothing.
            Assert.Equal(SchemaPatchDifference.None, (await rebuilding.Storage.Database.CreateMigrationAsync()).Difference);
            using var daemon = await rebuilding.BuildProjectionDaemonAsync();
            await daemon.RebuildProjectionAsync(TransitionViewProjection.Name, CancellationToken.None);
        }

        Assert.Equal(before, await MailboxStates());
        Assert.Equal(0L, await Scalar<long>($"select count(*) from {EventStore.Schema}.mt_doc_mailbox where mt_last_modified < $1", started)); // each one written again
        await api.ViewsCaughtUp();
    }

    /// <summary>Every mailbox's state document as stored: key, JSON, revision and the duplicated transition.</summary>
    private async Task<List<string>> MailboxStates()
    {
        await using var connection = await Connect();
        await using var command = new NpgsqlCommand(
            $"select tenant_id || ' ' || id || ' ' || mt_version || ' ' || transition_id || ' ' || data::text from {EventStore.Schema}.mt_doc_mailbox order by tenant_id, id",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync()) states.Add(reader.GetString(0));
        return states;
    }

    private async Task<T> Scalar<T>(string sql, params object[] parameters)
    {
        await using var connection = await Connect();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> Connect()
    {
        var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task a_transition_the_async_view_has_not_reached_is_read_from_its_events_not_shown_as_empty()
    {
        var key = await api.TenantWithKey();
        var daemon = api.Host.Services.GetRequiredService<IProjectionCoordinator>();
        await daemon.PauseAsync();
        try
        {
            var id = await api.StartTransition(key);
            Assert.Equal(201, (await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" }, key)).Status);

            var deps = (await api.Get($"/api/transitions/{id}/dependencies", key)).Json;
            Assert.Equal(1, deps["byCategory"]!["mailboxes"]!.GetValue<int>());
            Assert.False(deps["exchangeCanBeDecommissioned"]!.GetValue<bool>());
            Assert.Equal("ABC Ltd", (await api.Get($"/api/transitions/{id}/dashboard", key)).Json["organisation"]!.GetValue<string>());
        }
        finally
        {
            await daemon.ResumeAsync();
        }
    }

    [Fact]
    public async Task the_portfolio_has_a_row_per_transition_of_the_tenant()
    {
        var rows = (await api.Get("/api/portfolio", _key)).Json["transitions"]!.AsArray();
        var row = Assert.Single(rows)!;
        Assert.Equal(("ABC Ltd", "migration", 67.3m, 107, 2), (row["organisation"]!.GetValue<string>(), row["phase"]!.GetValue<string>(),
            row["percentDone"]!.GetValue<decimal>(), row["remainingDependencies"]!.GetValue<int>(), row["openSupportCases"]!.GetValue<int>()));
        Assert.Empty((await api.Get($"/api/portfolio?asOf={Uri.EscapeDataString(Start.AddDays(-1).ToString("O"))}", _key)).Json["transitions"]!.AsArray());
    }

    [Fact]
    public async Task views_of_another_tenant_or_a_bad_instant_are_refused()
    {
        var stranger = await api.TenantWithKey("viewer");
        foreach (var view in new[] { "dependencies", "role-impacts", "dashboard" })
        {
            (await api.Get(Url(view), stranger)).ShouldBeProblem(404);
            (await api.Get(Url(view, Day(3)), stranger)).ShouldBeProblem(404);
            (await api.Get($"/api/transitions/{_migration.Id}/{view}?asOf=last-tuesday", _key)).ShouldBeProblem(400);
        }
    }

    /// <summary>The view without what differs by construction: ids, the as-of marker and the read instant.</summary>
    private static string Comparable(JsonNode view)
    {
        var copy = view.DeepClone().AsObject();
        foreach (var field in new[] { "transitionId", "asOf", "now" }) copy.Remove(field);
        foreach (var wave in copy["waves"]?.AsArray() ?? []) wave!.AsObject().Remove("waveId"); // each transition's own ids
        return copy.ToJsonString();
    }

    private static List<string> Drivers(JsonNode role) => role["drivers"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();

    private static void AssertRole(JsonNode role, decimal baseline, decimal current, string trend)
    {
        Assert.Equal(baseline, role["baseline"]!.GetValue<decimal>());
        Assert.Equal(current, role["current"]!.GetValue<decimal>());
        Assert.Equal(current - baseline, role["change"]!.GetValue<decimal>());
        Assert.Equal(trend, role["trend"]!.GetValue<string>());
    }
}
