using System.Text.Json.Nodes;
using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Checkpoints;
using CloudTransition.IntegrationTests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CloudTransition.IntegrationTests.Views;

/// <summary>
/// As-of views read from checkpoints (the fold up to an instant, stored) plus the events since are the same as folding every event, at every
/// instant, also after events are reported late, before checkpoints that already exist. The fixture cuts a checkpoint every 10 events.
/// </summary>
[Collection(ApiCollection.Name)]
public class CheckpointTests(ApiFixture api)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-09-01T08:00:00Z");

    [Fact]
    public async Task as_of_views_from_checkpoints_equal_the_full_fold_also_after_late_events()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(201, (await api.Post("/api/tenants", new { id = tenant, name = tenant })).Status);
        var key = await api.KeyFor(tenant, "contributor");
        var id = await api.StartTransition(key);
        await Ok(api.Post($"/api/transitions/{id}/mailboxes", Enumerable.Range(0, 40).Select(i => new { address = $"u{i}@abc.com", kind = "user-mailbox", occurredAt = T0 }).ToArray(), key));
        await Ok(api.Post($"/api/transitions/{id}/devices", new { name = "MFP", kind = "printer", canChangePort = true, supportsSmtpAuth = false, sendsExternal = true, currentTarget = "exch01:25", occurredAt = T0.AddDays(1) }, key));
        for (var i = 0; i < 30; i++)
        {
            await Ok(api.Post($"/api/transitions/{id}/mailboxes/u{i}@abc.com/move", new { status = "queued", occurredAt = T0.AddDays(2 + i / 2) }, key));
            await Ok(api.Post($"/api/transitions/{id}/mailboxes/u{i}@abc.com/move", new { status = "completed", occurredAt = T0.AddDays(2 + i / 2).AddHours(5) }, key));
        }
        await api.ViewsCaughtUp();

        var watch = api.Host.Services.GetRequiredService<CheckpointWatch>();
        await watch.Build(tenant, id);
        var before = await Checkpoints(tenant, id);
        Assert.True(before.Count >= 6, $"{before.Count} checkpoints");
        await SameAsFullFold(tenant, id);

        // Reported late: moves that happened on day 3, and a mailbox inventoried on day 1, after checkpoints up to day 17 exist.
        var late = T0.AddDays(3).AddHours(2);
        await Ok(api.Post($"/api/transitions/{id}/mailboxes/u35@abc.com/move", new { status = "completed", occurredAt = late }, key));
        await Ok(api.Post($"/api/transitions/{id}/mailboxes", new[] { new { address = "late@abc.com", kind = "user-mailbox", occurredAt = T0.AddDays(1) } }, key));
        var after = await Checkpoints(tenant, id);
        Assert.All(after, at => Assert.True(at <= T0.AddDays(1), $"a checkpoint at {at:O} survived an event of {T0.AddDays(1):O}"));
        Assert.True(after.Count < before.Count);
        await SameAsFullFold(tenant, id);
        var asOfDay5 = Uri.EscapeDataString(T0.AddDays(5).ToString("O"));
        var dashboard = (await api.Get($"/api/transitions/{id}/dashboard?asOf={asOfDay5}", key)).Json;
        var mailboxes = dashboard["progress"]!.AsArray().Single(p => p!["category"]!.GetValue<string>() == "mailboxes")!;
        Assert.Equal(41, mailboxes["total"]!.GetValue<int>());
        Assert.Equal(6 + 1, mailboxes["done"]!.GetValue<int>()); // u0–u5 by day 4, and u35 on day 3

        await api.ViewsCaughtUp();
        await watch.Build(tenant, id); // (or the fixture's watch did already)
        Assert.True((await Checkpoints(tenant, id)).Max() > T0.AddDays(10));
        await SameAsFullFold(tenant, id);

        // Recorded as they happen (fewer than four steps): cut from the caught-up view, just after its last event.
        var minute = 0;
        foreach (var i in new[] { 30, 31, 32, 33, 34, 36, 37, 38, 39 })
            foreach (var status in new[] { "queued", "completed" })
                await Ok(api.Post($"/api/transitions/{id}/mailboxes/u{i}@abc.com/move", new { status, occurredAt = T0.AddDays(19).AddMinutes(++minute) }, key));
        await api.ViewsCaughtUp();
        await watch.Build(tenant, id);
        await using (var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant))
        {
            var last = (await session.LoadAsync<TransitionView>(id))!.LastEventAt!.Value;
            Assert.InRange((await Checkpoints(tenant, id)).Max() - last, TimeSpan.FromTicks(1), TimeSpan.FromMicroseconds(2));
        }
        await SameAsFullFold(tenant, id);
    }

    private static async Task Ok(Task<Reply> request)
    {
        var reply = await request;
        Assert.True(reply.Status is 200 or 201, reply.ToString());
    }

    private async Task<List<DateTimeOffset>> Checkpoints(string tenant, string id)
    {
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant);
        return (await session.Query<ViewCheckpoint>().Where(c => c.TransitionId == id).Select(c => c.At).ToListAsync()).ToList();
    }

    /// <summary>The view as of every six hours over the history (and instants on the checkpoints themselves) equals the fold of every event.</summary>
    private async Task SameAsFullFold(string tenant, string id)
    {
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession(tenant);
        var instants = Enumerable.Range(0, 4 * 20).Select(i => T0.AddHours(6 * i - 1)).Concat(await Checkpoints(tenant, id)).ToList();
        foreach (var at in instants)
        {
            var fromCheckpoint = await ViewReader.Read(session, id, at);
            var folded = await ViewReader.ReadWithMailboxes(session, id, at);
            Assert.Equal(Canonical(store, folded!), Canonical(store, fromCheckpoint!));
        }
    }

    private static string Canonical(IDocumentStore store, TransitionView view) => Sorted(JsonNode.Parse(store.Options.Serializer().ToJson(view))!).ToJsonString();

    private static JsonNode Sorted(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(v => v is null ? null : Sorted(v)).ToArray()),
        _ => node.DeepClone(),
    };
}
