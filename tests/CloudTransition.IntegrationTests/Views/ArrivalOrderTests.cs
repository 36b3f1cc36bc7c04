using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Views;

/// <summary>The same history reported in two different orders gives the same views.</summary>
[Collection(ApiCollection.Name)]
public class ArrivalOrderTests(ApiFixture api)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-10-01T08:00:00Z");

    private static List<(string Path, object Body)> History()
    {
        var steps = new List<(string, object)>
        {
            ("mailboxes", Enumerable.Range(0, 30).Select(i => new { address = $"u{i}@abc.com", kind = "user-mailbox", occurredAt = T0 }).ToArray()),
            ("components", new { name = "EXCH01", role = "exchange-mailbox", physical = true, occurredAt = T0 }),
            ("directory-sync", new { tool = "entra-connect", server = "sync01", occurredAt = T0.AddDays(2) }),
        };
        for (var i = 0; i < 30; i++)
        {
            steps.Add(($"mailboxes/u{i}@abc.com/move", new { status = "queued", occurredAt = T0.AddDays(3 + i % 10) }));
            steps.Add(($"mailboxes/u{i}@abc.com/move", new { status = "completed", occurredAt = T0.AddDays(3 + i % 10).AddHours(6) }));
        }
        return steps;
    }

    private async Task<string> Record(string key, IEnumerable<(string Path, object Body)> steps)
    {
        var id = await api.StartTransition(key);
        foreach (var (path, body) in steps)
        {
            var reply = await api.Post($"/api/transitions/{id}/{path}", body, key);
            Assert.True(reply.Status is 200 or 201, reply.ToString());
        }
        return id;
    }

    [Fact]
    public async Task shuffled_arrivals_give_the_same_dashboard()
    {
        var key = await api.TenantWithKey();
        var history = History();
        var inOrder = await Record(key, history);

        // Shuffle across items; each mailbox's own steps keep their order (the write side refuses completed → queued).
        var random = new Random(7);
        var setup = history.Take(3);
        var moves = history.Skip(3).GroupBy(s => s.Path).OrderBy(_ => random.Next()).ToList();
        var interleaved = moves.SelectMany((g, i) => g.Select((s, j) => (Order: j * 1000 + random.Next(1000), Step: s))).OrderBy(x => x.Order).Select(x => x.Step);
        var shuffled = await Record(key, setup.Reverse().Concat(interleaved));
        await api.ViewsCaughtUp();

        var first = (await api.Get($"/api/transitions/{inOrder}/dashboard?asOf={Uri.EscapeDataString(T0.AddDays(20).ToString("O"))}", key)).Json;
        var second = (await api.Get($"/api/transitions/{shuffled}/dashboard?asOf={Uri.EscapeDataString(T0.AddDays(20).ToString("O"))}", key)).Json;
        Assert.Equal(first["burnDown"]!.ToJsonString(), second["burnDown"]!.ToJsonString());
        var live1 = (await api.Get($"/api/transitions/{inOrder}/dashboard", key)).Json;
        var live2 = (await api.Get($"/api/transitions/{shuffled}/dashboard", key)).Json;
        foreach (var field in new[] { "burnDown", "progress", "remaining", "percentDone" })
            Assert.Equal(live1[field]!.ToJsonString(), live2[field]!.ToJsonString());
    }
}
