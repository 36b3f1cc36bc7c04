using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Faults;

/// <summary>An expected conflict is a 409 and at most an information line: the service's own log, read from a real process, shows no failure.</summary>
[Collection(FaultCollection.Name)]
public class ExpectedConflictLogTests
{
    [Fact]
    public async Task thirty_two_clients_posting_the_same_move_get_one_success_and_conflicts_without_failures_in_the_log()
    {
        await using var harness = await FaultHarness.Create();
        var process = await harness.StartApi();
        var logPath = process.LogPath;
        using var api = new LiveApi(process.BaseUrl, harness.AdminKey);
        await harness.Prepare(api);
        var id = harness.TransitionId;
        Assert.Equal(201, (await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" }, harness.TenantKey)).Status);

        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            api.Post($"/api/transitions/{id}/mailboxes/ann@abc.com/move", new { status = "queued" }, harness.TenantKey)));
        await process.DisposeAsync();

        Assert.All(replies, r => Assert.True(r.Status is 200 or 409, r.ToString()));
        Assert.All(replies.Where(r => r.Status == 409), r => r.ShouldBeProblem(409));
        Assert.Contains(replies, r => r.Status == 409);
        var log = await File.ReadAllLinesAsync(logPath);
        Assert.DoesNotContain(log, line => line.StartsWith("fail:") || line.StartsWith("crit:"));
        Assert.DoesNotContain(log, line => line.TrimStart().StartsWith("at ") && line.Contains(".cs:line") || line.Contains("Exception:"));
    }
}
