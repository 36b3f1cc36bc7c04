using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.SupportCases;

[Collection(ApiCollection.Name)]
public class SupportCaseTests(ApiFixture api)
{
    private static readonly DateTimeOffset Opened = DateTimeOffset.Parse("2026-05-01T16:00:00Z");

    private async Task<(string, string)> OpenCase()
    {
        var id = await api.StartTransition();
        var reply = await api.Post($"/api/transitions/{id}/support-cases", new { title = "Free/busy fails", vendor = "Microsoft", channel = "direct", severity = "b", occurredAt = Opened });
        Assert.Equal(201, reply.Status);
        return (id, reply.Json["caseId"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_case_keeps_its_first_response_escalations_and_resolution()
    {
        var (id, caseId) = await OpenCase();
        var url = $"/api/transitions/{id}/support-cases/{caseId}";
        Assert.Equal(200, (await api.Post($"{url}/response", new { note = "Collecting logs", occurredAt = Opened.AddHours(30) })).Status);
        Assert.Equal(200, (await api.Post($"{url}/escalate", new { note = "Partner escalation", occurredAt = Opened.AddHours(31) })).Status);
        Assert.Equal(200, (await api.Post($"{url}/response", new { occurredAt = Opened.AddHours(32) })).Status);
        var resolved = await api.Post($"{url}/resolve", new { note = "Autodiscover record fixed", occurredAt = Opened.AddHours(40) });

        Assert.Equal(200, resolved.Status);
        Assert.Equal(Opened.AddHours(30), resolved.Json["firstResponseAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2, resolved.Json["responses"]!.GetValue<int>());
        Assert.Equal(1, resolved.Json["escalations"]!.GetValue<int>());
        Assert.False(resolved.Json["open"]!.GetValue<bool>());
    }

    [Fact]
    public async Task nothing_happens_to_a_case_before_it_opens_or_after_it_is_resolved()
    {
        var (id, caseId) = await OpenCase();
        var url = $"/api/transitions/{id}/support-cases/{caseId}";
        (await api.Post($"{url}/response", new { occurredAt = Opened.AddHours(-1) })).ShouldBeProblem(409);
        (await api.Post($"{url}/resolve", new { occurredAt = Opened.AddMinutes(-1) })).ShouldBeProblem(409);
        Assert.Equal(200, (await api.Post($"{url}/resolve", new { occurredAt = Opened.AddHours(2) })).Status);
        (await api.Post($"{url}/response", new { })).ShouldBeProblem(409);
        (await api.Post($"{url}/escalate", new { })).ShouldBeProblem(409);
        (await api.Post($"{url}/resolve", new { })).ShouldBeProblem(409);
    }

    [Fact]
    public async Task bad_cases_are_refused()
    {
        var id = await api.StartTransition();
        (await api.Post($"/api/transitions/{id}/support-cases", new { title = "X", vendor = "Microsoft", channel = "carrier", severity = "b" })).ShouldBeProblem(400, "channel");
        (await api.Post($"/api/transitions/{id}/support-cases", new { title = "X", vendor = "Microsoft", channel = "direct", severity = "d" })).ShouldBeProblem(400, "severity");
        (await api.Post($"/api/transitions/{id}/support-cases/none/response", new { })).ShouldBeProblem(404);
    }
}
