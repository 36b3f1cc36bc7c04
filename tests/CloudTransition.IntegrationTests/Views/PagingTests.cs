using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Views;

[Collection(ApiCollection.Name)]
public class PagingTests(ApiFixture api)
{
    private async Task<string> Transition(int mailboxes)
    {
        var id = await api.StartTransition();
        if (mailboxes > 0)
        {
            var inventoried = await api.Post($"/api/transitions/{id}/mailboxes",
                Enumerable.Range(0, mailboxes).Select(i => new { address = $"user{i * 2:D5}@abc.com", kind = "user-mailbox" }).ToArray());
            Assert.True(inventoried.Status == 201, inventoried.ToString()[..200]);
        }
        foreach (var name in new[] { "Scanner", "Printer", "Printer" })
            Assert.Equal(201, (await api.Post($"/api/transitions/{id}/devices",
                new { name, kind = "printer", canChangePort = false, supportsSmtpAuth = false, sendsExternal = false, currentTarget = "exch01:25" })).Status);
        await api.ViewsCaughtUp();
        return id;
    }

    private static string Key(JsonNode item) => $"{item["category"]}|{item["name"]}";

    [Fact]
    public async Task paging_the_dependency_list_while_a_writer_adds_items_returns_every_item_that_was_there_exactly_once()
    {
        var id = await Transition(1200);
        var whole = (await api.Get($"/api/transitions/{id}/dependencies?limit=5000")).Json;
        Assert.Null(whole["next"]);
        var before = whole["items"]!.AsArray().Select(i => Key(i!)).ToList();
        Assert.Equal(1203, before.Count);

        // A writer adds mailboxes between the existing ones and more devices while the pages are read.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 40; i++)
            {
                await api.Post($"/api/transitions/{id}/mailboxes", Enumerable.Range(0, 10).Select(j => new { address = $"user{(i * 60 + j * 6) * 2 + 1:D5}@abc.com", kind = "user-mailbox" }).ToArray());
                await api.Post($"/api/transitions/{id}/devices", new { name = $"Added {i}", kind = "other", canChangePort = true, supportsSmtpAuth = true, sendsExternal = true, currentTarget = "x:25" });
            }
        });
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await api.Get($"/api/transitions/{id}/dependencies?limit=97{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}");
            Assert.True(page.Status == 200, page.ToString()[..Math.Min(300, page.Body.Length)]);
            Assert.True(page.Json["total"]!.GetValue<int>() >= 1203);
            seen.AddRange(page.Json["items"]!.AsArray().Select(i => Key(i!)));
            after = page.Json["next"]?.GetValue<string>();
            pages++;
        } while (after is not null);
        stop.Cancel();
        await writer;

        Assert.True(pages >= 13);
        // Every item that was there is there as often as it was (two devices share a name), and no item comes twice.
        var counted = seen.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(before.Distinct(), k => Assert.Equal(before.Count(b => b == k), counted.GetValueOrDefault(k)));
        Assert.All(counted.Where(c => !before.Contains(c.Key)), c => Assert.Equal(1, c.Value));
    }

    [Fact]
    public async Task a_cursor_from_another_list_or_changed_by_a_byte_is_400_and_the_limit_is_checked()
    {
        var id = await Transition(30);
        var other = await Transition(0);
        var first = (await api.Get($"/api/transitions/{id}/dependencies?limit=10")).Json;
        var next = first["next"]!.GetValue<string>();
        Assert.Equal(33, first["total"]!.GetValue<int>());
        Assert.Equal(30, first["byCategory"]!["mailboxes"]!.GetValue<int>());
        Assert.Equal(10, first["items"]!.AsArray().Count);

        (await api.Get($"/api/transitions/{other}/dependencies?after={Uri.EscapeDataString(next)}")).ShouldBeProblem(400, "after");
        var changed = next[..^3] + (next[^3] == 'A' ? 'B' : 'A') + next[^2..];
        (await api.Get($"/api/transitions/{id}/dependencies?after={Uri.EscapeDataString(changed)}")).ShouldBeProblem(400, "after");
        (await api.Get($"/api/transitions/{id}/dependencies?after=nonsense")).ShouldBeProblem(400, "after");
        (await api.Get($"/api/transitions/{id}/dependencies?after={Uri.EscapeDataString(next)}&asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}")).ShouldBeProblem(400, "after");
        (await api.Get($"/api/transitions/{id}/dependencies?limit=0")).ShouldBeProblem(400, "limit");
        (await api.Get($"/api/transitions/{id}/dependencies?limit=5001")).ShouldBeProblem(400, "limit");

        // The last page has no next; the pages together are the whole list, in order.
        var rest = (await api.Get($"/api/transitions/{id}/dependencies?limit=100&after={Uri.EscapeDataString(next)}")).Json;
        Assert.Null(rest["next"]);
        var whole = (await api.Get($"/api/transitions/{id}/dependencies")).Json["items"]!.AsArray().Select(i => Key(i!));
        Assert.Equal(whole, first["items"]!.AsArray().Concat(rest["items"]!.AsArray()).Select(i => Key(i!)));
    }
}
