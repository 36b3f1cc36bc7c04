using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Waves;

[Collection(ApiCollection.Name)]
public class WaveTests(ApiFixture api)
{
    /// <summary>A fixed past origin, so every instant of a test is an occurredAt the API accepts, and reads go as of a chosen instant.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 8, 0, 0, TimeSpan.Zero);

    private static string At(double hours) => T0.AddHours(hours).ToString("O");

    private async Task<string> Transition(params string[] addresses)
    {
        // First in the portfolio (by organisation), whatever else the shared database holds, and started before anything it records.
        var started = await api.Post("/api/transitions", new { organisation = $"000 Waves {Guid.NewGuid():N}", domains = new[] { "abc.com" }, occurredAt = At(-72) });
        Assert.True(started.Status == 201, started.ToString());
        var id = started.Json["id"]!.GetValue<string>();
        if (addresses.Length > 0)
        {
            var reply = await api.Post($"/api/transitions/{id}/mailboxes",
                addresses.Select(a => new { address = a, kind = "user-mailbox", occurredAt = At(-48) }).ToArray());
            Assert.True(reply.Status == 201, reply.ToString());
        }
        return id;
    }

    private async Task<string> Wave(string id, string name, double startHours, double completionHours)
    {
        var reply = await api.Post($"/api/transitions/{id}/waves", new { name, plannedStart = At(startHours), plannedCompletion = At(completionHours), occurredAt = At(-24) });
        Assert.True(reply.Status == 201, reply.ToString());
        return reply.Json["waveId"]!.GetValue<string>();
    }

    private async Task Move(string id, string address, object body)
    {
        var reply = await api.Post($"/api/transitions/{id}/mailboxes/{address}/move", body);
        Assert.True(reply.Status == 200, reply.ToString());
    }

    private async Task<JsonNode> Read(string url, double asOfHours)
    {
        var reply = await api.Get($"{url}{(url.Contains('?') ? '&' : '?')}asOf={Uri.EscapeDataString(At(asOfHours))}");
        Assert.True(reply.Status == 200, reply.ToString());
        return reply.Json;
    }

    [Fact]
    public async Task a_wave_is_planned_once_per_name_in_any_case_and_bad_plans_name_the_field()
    {
        var id = await Transition();
        var waveId = await Wave(id, "Wave 1 — Finance", 0, 72);
        var wave = (await api.Get($"/api/transitions/{id}/waves/{waveId}")).Json["wave"]!;
        // Past its planned completion, but with no mailboxes yet: planned, not late.
        Assert.Equal(("Wave 1 — Finance", "planned", 0), (wave["name"]!.GetValue<string>(), wave["state"]!.GetValue<string>(), wave["mailboxes"]!["total"]!.GetValue<int>()));

        var taken = await api.Post($"/api/transitions/{id}/waves", new { name = "  WAVE 1 — finance ", plannedStart = At(0), plannedCompletion = At(1) });
        taken.ShouldBeProblem(409);
        Assert.Equal(waveId, taken.Json["waveId"]!.GetValue<string>());

        (await api.Post($"/api/transitions/{id}/waves", new { name = "Wave 2", plannedStart = At(10), plannedCompletion = At(5) })).ShouldBeProblem(400, "plannedCompletion");
        (await api.Post($"/api/transitions/{id}/waves", new { plannedStart = At(0), plannedCompletion = At(5) })).ShouldBeProblem(400, "name");
        (await api.Post($"/api/transitions/{id}/waves", new { name = "Wave 2", plannedStart = "next monday", plannedCompletion = At(5) })).ShouldBeProblem(400, "plannedStart");
        (await api.Post($"/api/transitions/{id}/waves", new { name = "Wave 2", plannedStart = At(0), plannedCompletion = At(5), colour = "red" })).ShouldBeProblem(400, "colour");
        (await api.Post("/api/transitions/nope/waves", new { name = "Wave 2", plannedStart = At(0), plannedCompletion = At(5) })).ShouldBeProblem(404);
        (await api.Get($"/api/transitions/{id}/waves/nope")).ShouldBeProblem(404);
        Assert.Single((await api.Get($"/api/transitions/{id}/waves")).Json.AsArray());
    }

    [Fact]
    public async Task a_mailbox_is_in_one_wave_at_a_time_and_a_batch_named_like_a_wave_joins_it()
    {
        var id = await Transition("ann@abc.com", "bob@abc.com", "cat@abc.com");
        var finance = await Wave(id, "Finance", 0, 72);
        var sales = await Wave(id, "Sales", 24, 96);

        var assigned = await api.Post($"/api/transitions/{id}/waves/{finance}/mailboxes", new { addresses = new[] { "ANN@abc.com", "bob@abc.com" }, occurredAt = At(-1) });
        Assert.True(assigned.Status == 200, assigned.ToString());
        Assert.Equal(2, assigned.Json["assigned"]!.GetValue<int>());

        var partly = await api.Post($"/api/transitions/{id}/waves/{sales}/mailboxes", new { addresses = new[] { "bob@abc.com", "nobody@abc.com" }, occurredAt = At(0) });
        Assert.Equal(207, partly.Status);
        var rows = partly.Json["rows"]!.AsArray();
        Assert.Equal((200, 404), (rows[0]!["status"]!.GetValue<int>(), rows[1]!["status"]!.GetValue<int>()));
        Assert.Equal((1, 1), (partly.Json["assigned"]!.GetValue<int>(), partly.Json["failed"]!.GetValue<int>()));

        // A move reported with batch "sales" (any case) puts cat in the Sales wave.
        await Move(id, "cat@abc.com", new { status = "queued", batch = "SALES", occurredAt = At(1) });

        var waves = (await Read($"/api/transitions/{id}/waves", 2)).AsArray();
        Assert.Equal([("Finance", 1), ("Sales", 2)], waves.Select(w => (w!["name"]!.GetValue<string>(), w["mailboxes"]!["total"]!.GetValue<int>())));
        var inSales = (await api.Get($"/api/transitions/{id}/mailboxes?wave={sales}")).Json["items"]!.AsArray();
        Assert.Equal(["bob@abc.com", "cat@abc.com"], inSales.Select(m => m!["address"]!.GetValue<string>()));

        // The move out of Finance is in bob's history, and an as-of read before it shows bob still in Finance.
        var timeline = (await api.Get($"/api/transitions/{id}/timeline?limit=1000")).Json["items"]!.AsArray();
        var reassigned = timeline.Where(e => e!["type"]!.GetValue<string>() == "mailbox-assigned-to-wave" && e["data"]!["address"]!.GetValue<string>() == "bob@abc.com").ToList();
        Assert.Equal(finance, reassigned[^1]!["data"]!["fromWaveId"]!.GetValue<string>());
        var before = (await Read($"/api/transitions/{id}/waves/{finance}", -0.5))["items"]!.AsArray();
        Assert.Equal(["ann@abc.com", "bob@abc.com"], before.Select(m => m!["address"]!.GetValue<string>()));

        (await api.Post($"/api/transitions/{id}/waves/{finance}/mailboxes", new { addresses = Array.Empty<string>() })).ShouldBeProblem(400, "addresses");
        (await api.Post($"/api/transitions/{id}/waves/nope/mailboxes", new { addresses = new[] { "ann@abc.com" } })).ShouldBeProblem(404);
    }

    [Fact]
    public async Task a_wave_becomes_late_as_the_clock_passes_its_planned_completion()
    {
        var id = await Transition("ann@abc.com", "bob@abc.com");
        var waveId = await Wave(id, "Pilot", 0, 48);
        await api.Post($"/api/transitions/{id}/waves/{waveId}/mailboxes", new { addresses = new[] { "ann@abc.com", "bob@abc.com" }, occurredAt = At(-1) });
        await Move(id, "ann@abc.com", new { status = "queued", occurredAt = At(1) });
        await Move(id, "ann@abc.com", new { status = "completed", occurredAt = At(10) });

        await api.ViewsCaughtUp();
        using (api.Clock.FreezeAt(T0.AddHours(47)))
        {
            var wave = (await api.Get($"/api/transitions/{id}/waves/{waveId}")).Json["wave"]!;
            Assert.Equal("in-progress", wave["state"]!.GetValue<string>());
            Assert.Equal(50m, wave["percentDone"]!.GetValue<decimal>());
            // One of two completed in the 46 h since its first move: the other at that pace, 46 h later, on the day after (UTC).
            Assert.Equal(DateOnly.FromDateTime(T0.AddHours(47 + 46).UtcDateTime).ToString("yyyy-MM-dd"), wave["forecastCompletion"]!.GetValue<string>());
        }
        using (api.Clock.FreezeAt(T0.AddHours(49)))
        {
            Assert.Equal("late", (await api.Get($"/api/transitions/{id}/waves/{waveId}")).Json["wave"]!["state"]!.GetValue<string>());
            await api.ViewsCaughtUp();
            var dashboard = (await api.Get($"/api/transitions/{id}/dashboard")).Json;
            var late = dashboard["risks"]!.AsArray().Single(r => r!["kind"]!.GetValue<string>() == "wave-late")!;
            Assert.Equal("Pilot", late["item"]!.GetValue<string>());
            Assert.Contains("1 of 2 mailbox(es) not completed", late["detail"]!.GetValue<string>());
            var row = (await api.Get("/api/portfolio?limit=250")).Json["transitions"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!;
            Assert.Equal(1, row["lateWaves"]!.GetValue<int>());
        }
        // As of before its completion, it stood in progress; once bob completes, it is completed (whenever it is read).
        Assert.Equal("in-progress", (await Read($"/api/transitions/{id}/waves/{waveId}", 47))["wave"]!["state"]!.GetValue<string>());
        await Move(id, "bob@abc.com", new { status = "completed", occurredAt = At(50) });
        await api.ViewsCaughtUp(); // the counts come from the views, which follow the writes within moments
        var done = (await api.Get($"/api/transitions/{id}/waves/{waveId}")).Json["wave"]!;
        Assert.Equal(("completed", T0.AddHours(50)), (done["state"]!.GetValue<string>(), done["completedAt"]!.GetValue<DateTimeOffset>()));
    }

    [Fact]
    public async Task a_syncing_move_stalls_after_a_day_without_progress_and_clears_when_it_progresses()
    {
        var id = await Transition("ann@abc.com", "bob@abc.com");
        var waveId = await Wave(id, "Wave 1", 0, 240);
        await api.Post($"/api/transitions/{id}/waves/{waveId}/mailboxes", new { addresses = new[] { "ann@abc.com", "bob@abc.com" }, occurredAt = At(-1) });
        await Move(id, "ann@abc.com", new { status = "syncing", percentComplete = 40, statusDetail = "CopyingMessages", itemsSynced = 1200, occurredAt = At(0) });
        await Move(id, "ann@abc.com", new { status = "syncing", percentComplete = 40, statusDetail = "CopyingMessages", itemsSynced = 1200, lastSyncAt = At(5), occurredAt = At(5) });

        var wave = await Read($"/api/transitions/{id}/waves/{waveId}", 23);
        Assert.Equal(0, wave["wave"]!["mailboxes"]!["stalled"]!.GetValue<int>());
        wave = await Read($"/api/transitions/{id}/waves/{waveId}", 24);
        Assert.Equal(1, wave["wave"]!["mailboxes"]!["stalled"]!.GetValue<int>());
        Assert.True(wave["items"]![0]!["stalled"]!.GetValue<bool>());
        var dashboard = await Read($"/api/transitions/{id}/dashboard", 25);
        var stalled = dashboard["risks"]!.AsArray().Single(r => r!["kind"]!.GetValue<string>() == "move-stalled")!;
        Assert.Equal("ann@abc.com", stalled["item"]!.GetValue<string>());
        Assert.Contains("no progress since", stalled["detail"]!.GetValue<string>());
        Assert.Contains("wave 'Wave 1'", stalled["detail"]!.GetValue<string>());
        var dependencies = await Read($"/api/transitions/{id}/dependencies", 25);
        var ann = dependencies["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "ann@abc.com")!;
        Assert.Contains("wave 'Wave 1'; stalled", ann["reason"]!.GetValue<string>());
        Assert.Equal("Wave 1", ann["wave"]!.GetValue<string>());

        // Progress clears it; Exchange Online saying it is stalled marks it at once.
        await Move(id, "ann@abc.com", new { status = "syncing", percentComplete = 55, itemsSynced = 1900, occurredAt = At(26) });
        Assert.Equal(0, (await Read($"/api/transitions/{id}/waves/{waveId}", 27))["wave"]!["mailboxes"]!["stalled"]!.GetValue<int>());
        await Move(id, "bob@abc.com", new { status = "syncing", percentComplete = 10, statusDetail = "StalledDueToTarget_MdbReplication", occurredAt = At(27) });
        var bob = (await Read($"/api/transitions/{id}/waves/{waveId}", 27.5))["items"]!.AsArray().Single(m => m!["address"]!.GetValue<string>() == "bob@abc.com")!;
        Assert.True(bob["stalled"]!.GetValue<bool>());

        // With a 48 h threshold, 30 h without progress is not a stall yet.
        await Move(id, "bob@abc.com", new { status = "syncing", percentComplete = 10, statusDetail = "CopyingMessages", occurredAt = At(28) });
        Assert.Equal(200, (await api.Send("PUT", $"/api/transitions/{id}/settings", System.Text.Encoding.UTF8.GetBytes("""{"stallAfterHours":48}"""), null, "application/json")).Status);
        Assert.Equal(48, (await api.Get($"/api/transitions/{id}/settings")).Json["stallAfterHours"]!.GetValue<int>());
        using (api.Clock.FreezeAt(T0.AddHours(58)))
        {
            await api.ViewsCaughtUp();
            Assert.Equal(0, (await api.Get($"/api/transitions/{id}/dashboard")).Json["stalledMoves"]!.GetValue<int>());
        }
        (await api.Send("PUT", $"/api/transitions/{id}/settings", System.Text.Encoding.UTF8.GetBytes("""{"stallAfterHours":0}"""), null, "application/json")).ShouldBeProblem(400, "stallAfterHours");
    }

    [Fact]
    public async Task move_detail_is_recorded_as_progress_and_bad_detail_names_the_field()
    {
        var id = await Transition("ann@abc.com");
        await Move(id, "ann@abc.com", new { status = "syncing", percentComplete = 10, occurredAt = At(0) });
        var detail = new { status = "syncing", percentComplete = 35, statusDetail = "CopyingMessages", itemsSynced = 800, itemsSkipped = 2, badItems = 1, largeItems = 0, dataConsistencyScore = "good", lastSyncAt = At(1), occurredAt = At(1) };
        await Move(id, "ann@abc.com", detail);
        await Move(id, "ann@abc.com", detail); // nothing new: recorded once
        var ann = (await api.Get($"/api/transitions/{id}/mailboxes?address=ann@abc.com")).Json["items"]![0]!;
        Assert.Equal((35, "CopyingMessages", 800L, "good", 3), (ann["percentComplete"]!.GetValue<int>(), ann["statusDetail"]!.GetValue<string>(),
            ann["itemsSynced"]!.GetValue<long>(), ann["dataConsistencyScore"]!.GetValue<string>(), ann["version"]!.GetValue<int>()));
        Assert.Equal(T0, ann["statusChangedAt"]!.GetValue<DateTimeOffset>()); // syncing since the first report, whatever came after
        Assert.Equal(T0.AddHours(1), ann["progressSince"]!.GetValue<DateTimeOffset>());

        var url = $"/api/transitions/{id}/mailboxes/ann@abc.com/move";
        (await api.Post(url, new { status = "syncing", percentComplete = 101 })).ShouldBeProblem(400, "percentComplete");
        (await api.Post(url, new { status = "syncing", itemsSynced = -1 })).ShouldBeProblem(400, "itemsSynced");
        (await api.Post(url, new { status = "syncing", badItems = -3 })).ShouldBeProblem(400, "badItems");
        (await api.Post(url, new { status = "syncing", dataConsistencyScore = "great" })).ShouldBeProblem(400, "dataConsistencyScore");
        (await api.Post(url, new { status = "syncing", lastSyncAt = api.UtcNow.AddHours(2).ToString("O") })).ShouldBeProblem(400, "lastSyncAt");
        (await api.Post(url, new { status = "syncing", percentComplet = 50 })).ShouldBeProblem(400, "percentComplet");
        Assert.Equal(3, (await api.Get($"/api/transitions/{id}/mailboxes?address=ann@abc.com")).Json["items"]![0]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_reschedule_keeps_the_slip_and_its_reason_and_a_completion_in_a_blackout_is_a_risk()
    {
        var id = await Transition("ann@abc.com");
        var waveId = await Wave(id, "Finance", 0, 72);
        (await api.Post($"/api/transitions/{id}/waves/{waveId}/reschedule", new { plannedCompletion = At(120) })).ShouldBeProblem(400, "reason");
        (await api.Post($"/api/transitions/{id}/waves/{waveId}/reschedule", new { plannedCompletion = At(-10), reason = "typo" })).ShouldBeProblem(400, "plannedCompletion");
        // A reschedule dated before the plan it changes would be recorded and change nothing: refused.
        (await api.Post($"/api/transitions/{id}/waves/{waveId}/reschedule", new { plannedCompletion = At(120), reason = "Backdated", occurredAt = At(-30) })).ShouldBeProblem(409);
        var moved = await api.Post($"/api/transitions/{id}/waves/{waveId}/reschedule", new { plannedCompletion = At(120), reason = "Month-end close", occurredAt = At(2) });
        Assert.True(moved.Status == 200, moved.ToString());
        var slip = moved.Json["reschedules"]!.AsArray().Single()!;
        Assert.Equal((2m, "Month-end close"), (slip["slipDays"]!.GetValue<decimal>(), slip["reason"]!.GetValue<string>()));
        Assert.Equal(T0.AddHours(72), (await Read($"/api/transitions/{id}/waves/{waveId}", 1))["wave"]!["plannedCompletion"]!.GetValue<DateTimeOffset>());

        var blackout = await api.Post($"/api/transitions/{id}/blackouts", new { name = "Q4 close", start = At(100), end = At(150), reason = "Finance year-end", occurredAt = At(3) });
        Assert.Equal(201, blackout.Status);
        Assert.Equal(200, (await api.Get(blackout.Headers["Location"])).Status);
        (await api.Post($"/api/transitions/{id}/blackouts", new { name = "Backwards", start = At(100), end = At(50) })).ShouldBeProblem(400, "end");
        var wave = (await Read($"/api/transitions/{id}/waves/{waveId}", 4))["wave"]!;
        Assert.Equal(["Q4 close"], wave["blackouts"]!.AsArray().Select(b => b!.GetValue<string>()));
        var risk = (await Read($"/api/transitions/{id}/dashboard", 4))["risks"]!.AsArray().Single(r => r!["kind"]!.GetValue<string>() == "wave-in-blackout")!;
        Assert.Equal("Finance", risk["item"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_burn_down_shows_scope_and_the_plan_and_velocity_counts_only_what_was_cleared()
    {
        var id = await Transition("a1@abc.com", "a2@abc.com", "a3@abc.com", "a4@abc.com");
        var waveId = await Wave(id, "All", 0, 96);
        await api.Post($"/api/transitions/{id}/waves/{waveId}/mailboxes", new { addresses = new[] { "a1@abc.com", "a2@abc.com", "a3@abc.com", "a4@abc.com" }, occurredAt = At(-1) });
        foreach (var (address, hours) in new[] { ("a1@abc.com", 10.0), ("a2@abc.com", 30.0) })
        {
            await Move(id, address, new { status = "queued", occurredAt = At(hours - 1) });
            await Move(id, address, new { status = "completed", occurredAt = At(hours) });
        }
        // A second inventory on day 2 raises the scope; it is not negative progress.
        await api.Post($"/api/transitions/{id}/mailboxes", new[] { new { address = "late1@abc.com", kind = "user-mailbox", occurredAt = At(40) }, new { address = "late2@abc.com", kind = "user-mailbox", occurredAt = At(40) } });

        var dashboard = await Read($"/api/transitions/{id}/dashboard", 48);
        var points = dashboard["burnDown"]!.AsArray();
        var last = points[^1]!;
        Assert.Equal((4, 6), (last["remaining"]!.GetValue<int>(), last["scope"]!.GetValue<int>()));
        // As of 48 h into a 96 h wave of 4 mailboxes, the plan said 2 would be done: 6 - 2 = 4.
        Assert.Equal(4m, last["planned"]!.GetValue<decimal>());
        Assert.Equal(0.29m, dashboard["velocity"]!["last7Days"]!.GetValue<decimal>()); // 2 cleared / 7 days
        var wave = dashboard["waves"]!.AsArray().Single()!;
        Assert.Equal((4, 2, 50m), (wave["mailboxes"]!["total"]!.GetValue<int>(), wave["mailboxes"]!["completed"]!.GetValue<int>(), wave["percentDone"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task webhooks_plan_waves_assign_mailboxes_and_report_move_detail_exactly_once()
    {
        var (sender, key, _) = await WebhookSender.ForNewTenant(api);
        var id = await api.StartTransition(key);
        Assert.Equal(201, (await api.Post($"/api/transitions/{id}/mailboxes", new[] { new { address = "ann@abc.com", kind = "user-mailbox" } }, key)).Status);
        var planned = await sender.Send(new { type = "wave.planned", transitionId = id, data = new { name = "Wave A", plannedStart = At(0), plannedCompletion = At(48) } });
        Assert.True(planned.Status == 200, planned.ToString());
        var waveUrl = planned.Json["appended"]![0]!["item"]!.GetValue<string>();
        var waveId = waveUrl[(waveUrl.LastIndexOf('/') + 1)..];
        Assert.Equal(200, (await api.Get(waveUrl, key)).Status);

        var batch = new
        {
            events = new object[]
            {
                new { type = "wave.mailboxes-assigned", transitionId = id, data = new { waveId, addresses = new[] { "ann@abc.com" } } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "syncing", percentComplete = 20, statusDetail = "CopyingMessages", occurredAt = At(1) } },
                new { type = "wave.rescheduled", transitionId = id, data = new { waveId, plannedCompletion = At(72), reason = "vendor delay" } },
            },
        };
        var first = await sender.Send(batch, id: "msg_waves");
        Assert.True(first.Status == 200, first.ToString());
        Assert.Equal(200, (await sender.Send(batch, id: "msg_waves")).Status);
        await api.ViewsCaughtUp(); // a wave's mailboxes come from the async view
        var detail = (await api.Get($"/api/transitions/{id}/waves/{waveId}", key)).Json;
        Assert.Equal((20, "vendor delay"), (detail["items"]![0]!["percentComplete"]!.GetValue<int>(), detail["wave"]!["reschedules"]![0]!["reason"]!.GetValue<string>()));
        var timeline = (await api.Get($"/api/transitions/{id}/timeline?limit=1000", key)).Json["items"]!.AsArray();
        Assert.Single(timeline, e => e!["type"]!.GetValue<string>() == "wave-rescheduled");

        // A wave planned earlier in a delivery is there for the moves after it; a second plan of its name is refused naming the event.
        Assert.Equal(201, (await api.Post($"/api/transitions/{id}/mailboxes", new[] { new { address = "bob@abc.com", kind = "user-mailbox" } }, key)).Status);
        var planAndMove = await sender.Send(new
        {
            events = new object[]
            {
                new { type = "wave.planned", transitionId = id, data = new { name = "Wave B", plannedStart = At(0), plannedCompletion = At(48) } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "bob@abc.com", status = "queued", batch = "wave b", occurredAt = At(2) } },
            },
        });
        Assert.True(planAndMove.Status == 200, planAndMove.ToString());
        Assert.NotNull((await api.Get($"/api/transitions/{id}/mailboxes?address=bob@abc.com", key)).Json["items"]![0]!["waveId"]);
        var twice = await sender.Send(new
        {
            events = new object[]
            {
                new { type = "wave.planned", transitionId = id, data = new { name = "Wave C", plannedStart = At(0), plannedCompletion = At(48) } },
                new { type = "wave.planned", transitionId = id, data = new { name = "WAVE C", plannedStart = At(0), plannedCompletion = At(48) } },
            },
        });
        twice.ShouldBeProblem(409);
        Assert.Contains("events[1]", twice.Json["detail"]!.GetValue<string>());
        timeline = (await api.Get($"/api/transitions/{id}/timeline?limit=1000", key)).Json["items"]!.AsArray();

        var unknown = await sender.Send(new { type = "wave.mailboxes-assigned", transitionId = id, data = new { waveId, addresses = new[] { "ann@abc.com", "ghost@abc.com" } } });
        unknown.ShouldBeProblem(404); // refused whole: ann is not assigned twice, nothing is appended
        Assert.Contains("ghost@abc.com", unknown.Body);
        Assert.Equal(timeline.Count, (await api.Get($"/api/transitions/{id}/timeline?limit=1000", key)).Json["items"]!.AsArray().Count);
    }
}
