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

    /// <summary>Follows a list's pages (the `Link` header's next, or the body's `next`) and answers every item's key.</summary>
    private async Task<List<string>> AllPages(string first, Func<JsonNode, IEnumerable<JsonNode>> items, Func<JsonNode, string> key, string? apiKey = null)
    {
        var keys = new List<string>();
        var url = first;
        for (var pages = 0; url is not null && pages < 100; pages++)
        {
            var reply = await api.Get(url, apiKey);
            Assert.True(reply.Status == 200, reply.ToString()[..Math.Min(300, reply.Body.Length)]);
            keys.AddRange(items(reply.Json).Select(key));
            url = reply.Headers.TryGetValue("Link", out var link)
                ? System.Text.RegularExpressions.Regex.Match(link, "^<([^>]+)>; rel=\"next\"$").Groups[1].Value
                : reply.Json is JsonObject body && body["next"] is { } next
                    ? $"{first}{(first.Contains('?') ? '&' : '?')}after={Uri.EscapeDataString(next.GetValue<string>())}"
                    : null;
        }
        return keys;
    }

    [Fact]
    public async Task every_list_pages_by_limit_and_after_to_the_whole_list_exactly_once()
    {
        var key = await api.TenantWithKey("admin");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await api.StartTransition(key, $"Org {i}"));
        var id = ids[0];
        await api.Post($"/api/transitions/{id}/mailboxes", Enumerable.Range(0, 7).Select(i => new { address = $"m{i}@abc.com", kind = "user-mailbox" }).ToArray(), key);
        for (var i = 0; i < 5; i++)
            await api.Post($"/api/transitions/{id}/devices", new { name = i % 2 == 0 ? "Same name" : $"Device {i}", kind = "other", canChangePort = true, supportsSmtpAuth = true,
                sendsExternal = true, currentTarget = "x:25" }, key);
        var waveIds = new List<string>();
        for (var i = 0; i < 3; i++)
            waveIds.Add((await api.Post($"/api/transitions/{id}/waves", new { name = $"W{i}", plannedStart = "2026-11-01T00:00:00Z", plannedCompletion = "2026-11-20T00:00:00Z" }, key))
                .Json["waveId"]!.GetValue<string>());
        await api.Post($"/api/transitions/{id}/waves/{waveIds[0]}/mailboxes", new { addresses = Enumerable.Range(0, 7).Select(i => $"m{i}@abc.com").Reverse().ToArray() }, key);
        await api.ViewsCaughtUp();

        var devices = await AllPages($"/api/transitions/{id}/devices?limit=2", j => j.AsArray()!, d => d["device"]!["deviceId"]!.GetValue<string>(), key);
        Assert.Equal(5, devices.Distinct().Count());
        Assert.Equal(5, devices.Count);
        var waves = await AllPages($"/api/transitions/{id}/waves?limit=2", j => j.AsArray()!, w => w["waveId"]!.GetValue<string>(), key);
        Assert.Equal((3, 3), (waves.Count, waves.Distinct().Count()));
        var transitions = await AllPages("/api/transitions?limit=2", j => j.AsArray()!, t => t["id"]!.GetValue<string>(), key);
        Assert.Equal(ids.OrderBy(x => x), transitions.OrderBy(x => x));
        var portfolio = await AllPages("/api/portfolio?limit=2", j => j["transitions"]!.AsArray()!, t => t["organisation"]!.GetValue<string>(), key);
        Assert.Equal(["Org 0", "Org 1", "Org 2", "Org 3", "Org 4"], portfolio);
        var mailboxes = await AllPages($"/api/transitions/{id}/mailboxes?limit=3", j => j["items"]!.AsArray()!, m => m["address"]!.GetValue<string>(), key);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"m{i}@abc.com"), mailboxes);
        var asOf = Uri.EscapeDataString(api.UtcNow.AddMinutes(1).ToString("O"));
        foreach (var read in new[] { "", $"&asOf={asOf}" })
        {
            var inWave = await AllPages($"/api/transitions/{id}/waves/{waveIds[0]}?limit=3{read}", j => j["items"]!.AsArray()!, m => m["address"]!.GetValue<string>(), key);
            Assert.Equal(Enumerable.Range(0, 7).Select(i => $"m{i}@abc.com"), inWave);
        }
        (await api.Get($"/api/transitions/{id}/waves/{waveIds[0]}?after=x", key)).ShouldBeProblem(400, "after");

        var first = await api.Get("/api/transitions?limit=2", key);
        Assert.Equal("5", first.Headers["X-Total-Count"]);
        (await api.Get($"/api/transitions/{id}/mailboxes?page=2&after=x", key)).ShouldBeProblem(400, "after");
        (await api.Get($"/api/transitions/{id}/devices?after=x", key)).ShouldBeProblem(400, "after");
        (await api.Get("/api/portfolio?after=x", key)).ShouldBeProblem(400, "after");
        (await api.Get("/api/transitions?limit=5001", key)).ShouldBeProblem(400, "limit");
    }
}
