using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Transitions;

[Collection(ApiCollection.Name)]
public class TransitionTests(ApiFixture api)
{
    [Fact]
    public async Task a_started_transition_can_be_read_and_listed()
    {
        var key = await api.TenantWithKey();
        var created = await api.Post("/api/transitions", new { organisation = "ABC Ltd", domains = new[] { "abc.com", "ABC.co.uk" }, plannedCompletion = "2027-06-30" }, key);
        Assert.Equal(201, created.Status);
        var id = created.Json["id"]!.GetValue<string>();
        Assert.Equal($"/api/transitions/{id}", created.Headers["Location"]);

        var read = await api.Get($"/api/transitions/{id}", key);
        Assert.Equal(200, read.Status);
        Assert.Equal("ABC Ltd", read.Json["organisation"]!.GetValue<string>());
        Assert.Equal("assessment", read.Json["phase"]!.GetValue<string>());
        Assert.Equal("abc.co.uk", read.Json["domains"]![1]!.GetValue<string>());
        Assert.Equal(1, read.Json["version"]!.GetValue<int>());

        var list = await api.Get("/api/transitions", key);
        Assert.Single(list.Json.AsArray());
    }

    [Fact]
    public async Task phases_move_forward_and_step_back_only_with_a_reason()
    {
        var id = await api.StartTransition();
        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/phase", new { phase = "proof-of-concept" })).Status);
        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot" })).Status);

        var back = await api.Post($"/api/transitions/{id}/phase", new { phase = "proof-of-concept" });
        back.ShouldBeProblem(422);
        Assert.Contains("needs a reason", back.Json["detail"]!.GetValue<string>());

        var withReason = await api.Post($"/api/transitions/{id}/phase", new { phase = "proof-of-concept", reason = "Free/busy broke in the pilot" });
        Assert.Equal(200, withReason.Status);
        Assert.Equal("proof-of-concept", (await api.Get($"/api/transitions/{id}")).Json["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_same_phase_again_records_nothing()
    {
        var id = await api.StartTransition();
        await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot" });
        var again = await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot" });
        Assert.Equal(200, again.Status);
        Assert.Equal(2, (await api.Get($"/api/transitions/{id}")).Json["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_stale_expected_version_is_a_conflict_and_records_nothing()
    {
        var id = await api.StartTransition();
        Assert.Equal(200, (await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot", expectedVersion = 1 })).Status);
        (await api.Post($"/api/transitions/{id}/phase", new { phase = "migration", expectedVersion = 1 })).ShouldBeProblem(409);
        Assert.Equal("pilot", (await api.Get($"/api/transitions/{id}")).Json["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task the_timeline_pages_events_with_both_instants()
    {
        var id = await api.StartTransition();
        var when = DateTimeOffset.Parse("2026-03-02T09:00:00Z");
        await api.Post($"/api/transitions/{id}/phase", new { phase = "pilot", occurredAt = when });
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" });

        var first = await api.Get($"/api/transitions/{id}/timeline?limit=2");
        Assert.Equal(200, first.Status);
        var items = first.Json["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("transition-started", items[0]!["type"]!.GetValue<string>());
        Assert.Equal("transition-phase-changed", items[1]!["type"]!.GetValue<string>());
        Assert.Equal(when, items[1]!["occurredAt"]!.GetValue<DateTimeOffset>());
        Assert.NotEqual(when, items[1]!["recordedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("pilot", items[1]!["data"]!["to"]!.GetValue<string>());

        var next = first.Json["next"]!.GetValue<long>();
        var second = await api.Get($"/api/transitions/{id}/timeline?after={next}");
        var rest = second.Json["items"]!.AsArray();
        Assert.Single(rest);
        Assert.Equal("mailbox-inventoried", rest[0]!["type"]!.GetValue<string>());
        Assert.Null(second.Json["next"]);

        (await api.Get($"/api/transitions/{id}/timeline?limit=0")).ShouldBeProblem(400, "limit");
        (await api.Get($"/api/transitions/{id}/timeline?limit=abc")).ShouldBeProblem(400);
    }

    [Fact]
    public async Task an_unknown_transition_is_404()
    {
        (await api.Get($"/api/transitions/{Guid.NewGuid()}")).ShouldBeProblem(404);
        (await api.Post($"/api/transitions/{Guid.NewGuid()}/phase", new { phase = "pilot" })).ShouldBeProblem(404);
    }

    [Fact]
    public async Task start_transition_validates_each_field()
    {
        var reply = await api.Post("/api/transitions", new { organisation = "", domains = new[] { "not a domain" } });
        reply.ShouldBeProblem(400, "organisation");
        Assert.NotNull(reply.Json["errors"]!["domains[0]"]);
        (await api.Post("/api/transitions", new { organisation = "X", domains = new[] { "x.com" }, occurredAt = DateTimeOffset.UtcNow.AddHours(1) }))
            .ShouldBeProblem(400, "occurredAt");
        (await api.Post("/api/transitions", new { organisation = "X" })).ShouldBeProblem(400, "domains");
    }

    [Fact]
    public async Task the_transition_list_and_the_portfolio_are_capped_by_a_limit_with_a_clear_400_past_it()
    {
        var key = await api.TenantWithKey("contributor");
        foreach (var organisation in new[] { "Alpha", "Bravo", "Charlie" }) await api.StartTransition(key, organisation);

        var one = await api.Get("/api/transitions?limit=1", key);
        Assert.Single(one.Json.AsArray());
        Assert.Equal("3", one.Headers["X-Total-Count"]);
        (await api.Get("/api/transitions?limit=5001", key)).ShouldBeProblem(400, "limit");
        (await api.Get("/api/transitions?limit=0", key)).ShouldBeProblem(400, "limit");

        var portfolio = (await api.Get("/api/portfolio?limit=2", key)).Json;
        Assert.Equal(3, portfolio["total"]!.GetValue<int>());
        Assert.Equal(["Alpha", "Bravo"], portfolio["transitions"]!.AsArray().Select(r => r!["organisation"]!.GetValue<string>()));
        (await api.Get("/api/portfolio?limit=251", key)).ShouldBeProblem(400, "limit");
    }
}
