using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.DirectorySync;

[Collection(ApiCollection.Name)]
public class DirectorySyncTests(ApiFixture api)
{
    private async Task<int> EventCount(string id) => (await api.Get($"/api/transitions/{id}/timeline")).Json["items"]!.AsArray().Count;

    [Fact]
    public async Task enabling_twice_is_idempotent_and_disabling_switches_it_off()
    {
        var id = await api.StartTransition();
        var first = await api.Post($"/api/transitions/{id}/directory-sync", new { tool = "aad-connect", server = "SYNC01.abc.local" });
        Assert.Equal(201, first.Status);
        Assert.True(first.Json["enabled"]!.GetValue<bool>());
        var events = await EventCount(id);

        var again = await api.Post($"/api/transitions/{id}/directory-sync", new { tool = "aad-connect", server = "sync01.abc.local" });
        Assert.Equal(200, again.Status);
        Assert.Equal("SYNC01.abc.local", again.Json["server"]!.GetValue<string>()); // shown as first entered
        Assert.Equal(events, await EventCount(id));

        var off = await api.Delete($"/api/transitions/{id}/directory-sync");
        Assert.Equal(200, off.Status);
        Assert.False(off.Json["enabled"]!.GetValue<bool>());
        Assert.False((await api.Get($"/api/transitions/{id}/directory-sync")).Json["enabled"]!.GetValue<bool>());
        Assert.Equal(events + 1, await EventCount(id));
        Assert.Equal(200, (await api.Delete($"/api/transitions/{id}/directory-sync")).Status);
        Assert.Equal(events + 1, await EventCount(id));
    }

    [Fact]
    public async Task bad_requests_are_refused()
    {
        var id = await api.StartTransition();
        (await api.Post($"/api/transitions/{id}/directory-sync", new { tool = "okta", server = "x" })).ShouldBeProblem(400, "tool");
        (await api.Post($"/api/transitions/{id}/directory-sync", new { tool = "dirsync" })).ShouldBeProblem(400, "server");
        (await api.Delete($"/api/transitions/{id}/directory-sync?occurredAt=2099-01-01T00:00:00Z")).ShouldBeProblem(400, "occurredAt");
        (await api.Post($"/api/transitions/{Guid.NewGuid()}/directory-sync", new { tool = "dirsync", server = "x" })).ShouldBeProblem(404);
    }
}
