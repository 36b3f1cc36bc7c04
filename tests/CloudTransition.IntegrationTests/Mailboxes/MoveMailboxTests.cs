using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Mailboxes;

[Collection(ApiCollection.Name)]
public class MoveMailboxTests(ApiFixture api)
{
    private async Task<string> TransitionWith(params string[] addresses)
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/mailboxes", addresses.Select(a => new { address = a, kind = "user-mailbox" }).ToArray());
        Assert.Equal(201, reply.Status);
        return id;
    }

    private Task<Reply> Move(string id, string address, object body) => api.Post($"/api/transitions/{id}/mailboxes/{address}/move", body);

    [Fact]
    public async Task a_move_goes_through_its_statuses_to_completed()
    {
        var id = await TransitionWith("ann@abc.com");
        foreach (var status in new[] { "queued", "syncing", "synced", "completed" })
            Assert.Equal(200, (await Move(id, "ann@abc.com", new { status, batch = "wave-1" })).Status);

        var completed = await api.Get($"/api/transitions/{id}/mailboxes?status=completed");
        var mailbox = completed.Json["items"]![0]!;
        Assert.Equal("wave-1", mailbox["batch"]!.GetValue<string>());
        Assert.Equal(5, mailbox["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_completed_move_cannot_go_back_to_syncing()
    {
        var id = await TransitionWith("ann@abc.com");
        await Move(id, "ann@abc.com", new { status = "queued" });
        await Move(id, "ann@abc.com", new { status = "completed" });

        var reply = await Move(id, "ann@abc.com", new { status = "syncing" });
        reply.ShouldBeProblem(409);
        Assert.Contains("completed", reply.Json["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_failed_move_needs_an_error_and_can_be_retried()
    {
        var id = await TransitionWith("ann@abc.com");
        await Move(id, "ann@abc.com", new { status = "queued" });
        (await Move(id, "ann@abc.com", new { status = "failed" })).ShouldBeProblem(400, "error");
        Assert.Equal(200, (await Move(id, "ann@abc.com", new { status = "failed", error = "Large item limit exceeded" })).Status);
        (await Move(id, "ann@abc.com", new { status = "synced" })).ShouldBeProblem(409);
        Assert.Equal(200, (await Move(id, "ann@abc.com", new { status = "queued" })).Status);

        var failed = await api.Get($"/api/transitions/{id}/mailboxes?status=queued");
        Assert.Equal(1, failed.Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task occurred_at_is_kept_apart_from_the_record_time()
    {
        var id = await TransitionWith("ann@abc.com");
        var when = DateTimeOffset.Parse("2026-02-01T08:00:00+01:00");
        await Move(id, "ann@abc.com", new { status = "queued", occurredAt = when });
        var mailbox = (await api.Get($"/api/transitions/{id}/mailboxes")).Json["items"]![0]!;
        Assert.Equal(when, mailbox["statusChangedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task an_unknown_mailbox_or_status_is_refused()
    {
        var id = await TransitionWith("ann@abc.com");
        (await Move(id, "nobody@abc.com", new { status = "queued" })).ShouldBeProblem(404);
        (await Move(id, "ann@abc.com", new { status = "teleported" })).ShouldBeProblem(400, "status");
        (await Move(id, "ann@abc.com", new { status = 3 })).ShouldBeProblem(400, "status");
        (await Move(id, "ann@abc.com", new { })).ShouldBeProblem(400, "status");
    }

    [Fact]
    public async Task a_stale_expected_version_is_409()
    {
        var id = await TransitionWith("ann@abc.com");
        Assert.Equal(200, (await Move(id, "ann@abc.com", new { status = "queued", expectedVersion = 1 })).Status);
        (await Move(id, "ann@abc.com", new { status = "syncing", expectedVersion = 1 })).ShouldBeProblem(409);
    }

    [Fact]
    public async Task moves_of_different_mailboxes_at_the_same_time_all_succeed()
    {
        var addresses = Enumerable.Range(1, 24).Select(i => $"user{i}@abc.com").ToArray();
        var id = await TransitionWith(addresses);

        var replies = await Task.WhenAll(addresses.Select(a => Move(id, a, new { status = "queued" })));

        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Equal(24, (await api.Get($"/api/transitions/{id}/mailboxes?status=queued")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task concurrent_moves_of_one_mailbox_with_the_same_version_let_exactly_one_win()
    {
        var id = await TransitionWith("ann@abc.com");
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Move(id, "ann@abc.com", new { status = "queued", expectedVersion = 1 })));

        Assert.Equal(1, replies.Count(r => r.Status == 200));
        Assert.All(replies.Where(r => r.Status != 200), r => r.ShouldBeProblem(409));
        var timeline = await api.Get($"/api/transitions/{id}/timeline");
        Assert.Single(timeline.Json["items"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "mailbox-move-status-changed");
    }
}
