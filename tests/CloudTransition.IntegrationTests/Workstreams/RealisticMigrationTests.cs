using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Workstreams;

[Collection(ApiCollection.Name)]
public class RealisticMigrationTests(ApiFixture api)
{
    [Fact]
    public async Task a_whole_migration_is_recorded_through_the_api()
    {
        var key = await api.TenantWithKey();
        var migration = await new RealisticMigration(api, key).Record();
        var id = migration.Id;

        var transition = (await api.Get($"/api/transitions/{id}", key)).Json;
        Assert.Equal("migration", transition["phase"]!.GetValue<string>());

        var mailboxes = await api.Get($"/api/transitions/{id}/mailboxes?pageSize=1", key);
        Assert.Equal(300, mailboxes.Json["total"]!.GetValue<int>());
        Assert.Equal(RealisticMigration.Completed, (await api.Get($"/api/transitions/{id}/mailboxes?status=completed&pageSize=1", key)).Json["total"]!.GetValue<int>());
        Assert.Equal(RealisticMigration.Failed, (await api.Get($"/api/transitions/{id}/mailboxes?status=failed&pageSize=1", key)).Json["total"]!.GetValue<int>());
        Assert.Equal(30, (await api.Get($"/api/transitions/{id}/mailboxes?kind=resource-mailbox&pageSize=1", key)).Json["total"]!.GetValue<int>());

        Assert.True((await api.Get($"/api/transitions/{id}/directory-sync", key)).Json["enabled"]!.GetValue<bool>());
        var endpoints = (await api.Get($"/api/transitions/{id}/hybrid", key)).Json["endpoints"]!.AsArray();
        Assert.Equal(["exch03"], endpoints.Where(e => e!["pendingRestart"]!.GetValue<bool>()).Select(e => e!["server"]!.GetValue<string>()));

        var devices = (await api.Get($"/api/transitions/{id}/devices", key)).Json.AsArray();
        Assert.Equal(10, devices.Count);
        var combinations = devices.Select(d => d!["device"]!["facts"]!.ToJsonString()).Distinct().Count();
        Assert.Equal(8, combinations);
        Assert.Equal(6, devices.Count(d => d!["device"]!["state"]!.GetValue<string>() == "repointed"));

        var components = (await api.Get($"/api/transitions/{id}/components", key)).Json.AsArray();
        Assert.Equal(12, components.Count);
        Assert.Single(components, c => c!["state"]!.GetValue<string>() == "decommissioned");
        Assert.Single(components, c => c!["state"]!.GetValue<string>() == "retained");

        Assert.Single((await api.Get($"/api/transitions/{id}/blockers", key)).Json.AsArray());
        var cases = (await api.Get($"/api/transitions/{id}/support-cases", key)).Json.AsArray();
        Assert.Equal(3, cases.Count);
        Assert.Equal(2, cases.Count(c => c!["open"]!.GetValue<bool>()));

        // Three waves: the first two completed (the second after its slip), the third late with a stalled move.
        await api.ViewsCaughtUp(); // the waves' counts come from the views
        var waves = (await api.Get($"/api/transitions/{id}/waves", key)).Json.AsArray();
        Assert.Equal(RealisticMigration.WavePlan.Select(w => w.Name), waves.Select(w => w!["name"]!.GetValue<string>()));
        Assert.Equal(["completed", "completed", "late"], waves.Select(w => w!["state"]!.GetValue<string>()));
        Assert.Equal(3m, waves[1]!["reschedules"]![0]!["slipDays"]!.GetValue<decimal>()); // day 35 → day 38
        Assert.Equal(RealisticMigration.UserMailboxes, waves.Sum(w => w!["mailboxes"]!["total"]!.GetValue<int>()));
        Assert.Equal((1, RealisticMigration.Failed), (waves[2]!["mailboxes"]!["stalled"]!.GetValue<int>(), waves[2]!["mailboxes"]!["failed"]!.GetValue<int>()));
        var asOf = Uri.EscapeDataString(RealisticMigration.Day(45).ToString("O"));
        var then = (await api.Get($"/api/transitions/{id}/waves?asOf={asOf}", key)).Json.AsArray();
        Assert.Equal("in-progress", then[2]!["state"]!.GetValue<string>());

        var dashboard = (await api.Get($"/api/transitions/{id}/dashboard", key)).Json;
        var risks = dashboard["risks"]!.AsArray().Select(r => (r!["kind"]!.GetValue<string>(), r["item"]!.GetValue<string>())).ToList();
        Assert.Contains(("wave-late", "Wave 3 — Everyone else"), risks);
        Assert.Contains(("move-stalled", RealisticMigration.Address(RealisticMigration.Stalled)), risks);
        Assert.DoesNotContain(risks, r => r.Item1 == "wave-in-blackout");
        Assert.All(dashboard["burnDown"]!.AsArray(), p => Assert.NotNull(p!["planned"]));
        var row = (await api.Get("/api/portfolio?limit=250", key)).Json["transitions"]!.AsArray().Single()!;
        Assert.Equal((1, 1), (row["lateWaves"]!.GetValue<int>(), row["stalledMoves"]!.GetValue<int>()));
    }
}
