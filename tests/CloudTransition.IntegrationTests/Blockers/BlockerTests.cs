using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Blockers;

[Collection(ApiCollection.Name)]
public class BlockerTests(ApiFixture api)
{
    [Fact]
    public async Task a_blocker_is_raised_and_resolved()
    {
        var id = await api.StartTransition();
        var raised = await api.Post($"/api/transitions/{id}/blockers", new { name = "BlackBerry Enterprise Server", kind = "lob-on-exchange", detail = "Installed on EXCH01" });
        Assert.Equal(201, raised.Status);
        var blocker = raised.Json["blockerId"]!.GetValue<string>();

        (await api.Post($"/api/transitions/{id}/blockers/{blocker}/resolve", new { })).ShouldBeProblem(400, "resolution");
        var resolved = await api.Post($"/api/transitions/{id}/blockers/{blocker}/resolve", new { resolution = "BES12 with Office 365 support" });
        Assert.Equal(200, resolved.Status);
        Assert.False(resolved.Json["open"]!.GetValue<bool>());
        Assert.Equal("BES12 with Office 365 support", (await api.Get($"/api/transitions/{id}/blockers")).Json[0]!["resolution"]!.GetValue<string>());
    }

    [Fact]
    public async Task bad_blockers_are_refused()
    {
        var id = await api.StartTransition();
        (await api.Post($"/api/transitions/{id}/blockers", new { name = "X", kind = "showstopper", detail = "d" })).ShouldBeProblem(400, "kind");
        (await api.Post($"/api/transitions/{id}/blockers/none/resolve", new { resolution = "r" })).ShouldBeProblem(404);
    }
}
