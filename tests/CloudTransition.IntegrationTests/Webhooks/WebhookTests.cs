using System.Text;
using CloudTransition.Api.Webhooks;
using CloudTransition.IntegrationTests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CloudTransition.IntegrationTests.Webhooks;

[Collection(ApiCollection.Name)]
public class WebhookTests(ApiFixture api)
{
    private async Task<(WebhookSender Sender, string Key, string Transition)> Setup(params string[] mailboxes)
    {
        var (sender, key, _) = await WebhookSender.ForNewTenant(api);
        var id = await api.StartTransition(key);
        if (mailboxes.Length > 0)
            Assert.Equal(201, (await api.Post($"/api/transitions/{id}/mailboxes", mailboxes.Select(a => new { address = a, kind = "user-mailbox" }).ToArray(), key)).Status);
        return (sender, key, id);
    }

    private async Task<int> EventCount(string id, string key) => (await api.Get($"/api/transitions/{id}/timeline?limit=1000", key)).Json["items"]!.AsArray().Count;

    [Fact]
    public async Task a_signed_single_event_runs_its_command()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        var reply = await sender.Send(new { type = "mailbox.moved", transitionId = id, occurredAt = "2026-11-01T10:00:00Z", data = new { address = "ann@abc.com", status = "queued", batch = "wave-1" } });

        Assert.True(reply.Status == 200, reply.ToString());
        var appended = reply.Json["appended"]!.AsArray().Single()!;
        Assert.Equal($"/api/transitions/{id}/mailboxes?address=ann%40abc.com", appended["item"]!.GetValue<string>());
        Assert.Equal(1, (await api.Get(appended["item"]!.GetValue<string>(), key)).Json["total"]!.GetValue<int>()); // the item's URL answers
        Assert.Equal(2, appended["version"]!.GetValue<int>());
        var mailbox = (await api.Get($"/api/transitions/{id}/mailboxes", key)).Json["items"]![0]!;
        Assert.Equal("queued", mailbox["status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T10:00:00Z"), mailbox["statusChangedAt"]!.GetValue<DateTimeOffset>());

        var timeline = (await api.Get($"/api/transitions/{id}/timeline", key)).Json["items"]!.AsArray();
        var moved = timeline.Last()!;
        Assert.Equal("webhook:migration-script", moved["headers"]!["source"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(moved["correlationId"]?.GetValue<string>()));
    }

    [Fact]
    public async Task a_batch_runs_in_order_and_answers_each_stream_and_version()
    {
        var (sender, key, id) = await Setup();
        var reply = await sender.Send(new
        {
            events = new object[]
            {
                new { type = "mailbox.inventoried", transitionId = id, data = new { address = "bob@abc.com", kind = "user-mailbox" } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "bob@abc.com", status = "queued" } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "bob@abc.com", status = "completed" } },
                new { type = "directory-sync.enabled", transitionId = id, data = new { tool = "entra-connect", server = "sync01" } },
            },
        });
        Assert.True(reply.Status == 200, reply.ToString());
        var versions = reply.Json["appended"]!.AsArray().Select(a => (a!["item"]!.GetValue<string>(), a["version"]!.GetValue<int>())).ToList();
        var bob = $"/api/transitions/{id}/mailboxes?address=bob%40abc.com";
        Assert.Equal([(bob, 1), (bob, 2), (bob, 3), ($"/api/transitions/{id}/directory-sync", 1)], versions);
        Assert.Equal("completed", (await api.Get($"/api/transitions/{id}/mailboxes", key)).Json["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_batch_moving_many_mailboxes_once_each_appends_to_each_and_still_checks_their_versions()
    {
        var (sender, key, id) = await Setup("ann@abc.com", "bob@abc.com", "cid@abc.com");
        object Move(string address, int? expectedVersion = null) =>
            new { type = "mailbox.moved", transitionId = id, data = new { address, status = "queued", expectedVersion } };

        var stale = await sender.Send(new { events = new[] { Move("ann@abc.com"), Move("bob@abc.com", expectedVersion: 7), Move("cid@abc.com") } });
        stale.ShouldBeProblem(409);
        Assert.Equal(4, await EventCount(id, key));

        var reply = await sender.Send(new { events = new[] { Move("ann@abc.com"), Move("BOB@abc.com", expectedVersion: 1), Move("cid@abc.com") } });
        Assert.True(reply.Status == 200, reply.ToString());
        Assert.All(reply.Json["appended"]!.AsArray(), a => Assert.Equal(2, a!["version"]!.GetValue<int>()));
        var items = (await api.Get($"/api/transitions/{id}/mailboxes", key)).Json["items"]!.AsArray();
        Assert.All(items, m => Assert.Equal(("queued", 2), (m!["status"]!.GetValue<string>(), m["version"]!.GetValue<int>())));
    }

    [Fact]
    public async Task every_kind_of_bad_signature_is_the_same_401()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        var body = Encoding.UTF8.GetBytes($"{{\"type\":\"mailbox.moved\",\"transitionId\":\"{id}\",\"data\":{{\"address\":\"ann@abc.com\",\"status\":\"queued\"}}}}");
        var now = api.Clock.GetUtcNow();
        var wrongSecret = "whsec_" + Convert.ToBase64String(new byte[32]);
        var replies = new List<Reply>
        {
            await sender.SendRaw(body, signature: ""),
            await sender.SendRaw(body, signature: "v1,not-base64!"),
            await sender.SendRaw(body, signature: "v2," + Convert.ToBase64String(new byte[32])),
            await sender.SendRaw(body, id: "msg_1", signature: WebhookSender.Sign(wrongSecret, "msg_1", now.ToUnixTimeSeconds(), body)),
            await sender.SendRaw(body, at: now.AddMinutes(-6)),
            await sender.SendRaw(body, at: now.AddMinutes(6)),
            await sender.SendRaw(body, tenantOverride: "no-such-tenant"),
            await api.Send("POST", "/api/webhooks/default/no-such-source", body, "", "application/json"),
            await api.Send("POST", $"/api/webhooks/x/migration-script", body, "", "application/json", new Dictionary<string, string> { ["webhook-id"] = "a", ["webhook-timestamp"] = "soon", ["webhook-signature"] = "v1,AAAA" }),
        };
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("queued", "completed"));
        replies.Add(await sender.SendRaw(tampered, id: "msg_2", signature: WebhookSender.Sign(sender.Secret, "msg_2", now.ToUnixTimeSeconds(), body)));

        Assert.All(replies, r => r.ShouldBeProblem(401));
        Assert.Single(replies.Select(r => r.Json["detail"]!.GetValue<string>()).Distinct());
        Assert.Equal(2, await EventCount(id, key));
    }

    [Fact]
    public async Task one_valid_signature_among_several_is_enough()
    {
        var (sender, _, id) = await Setup("ann@abc.com");
        var body = Encoding.UTF8.GetBytes($"{{\"type\":\"mailbox.moved\",\"transitionId\":\"{id}\",\"data\":{{\"address\":\"ann@abc.com\",\"status\":\"queued\"}}}}");
        var now = api.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signatures = $"v1,{Convert.ToBase64String(new byte[32])} {WebhookSender.Sign(sender.Secret, "msg_many", now, body)}";
        Assert.Equal(200, (await sender.SendRaw(body, id: "msg_many", signature: signatures)).Status);
    }

    [Fact]
    public async Task after_a_rotation_the_old_secret_works_for_24_hours_only()
    {
        var (sender, admin, id) = await Setup("ann@abc.com");
        var old = sender.Secret;
        var rotated = await api.Send("PUT", "/api/webhook-sources/migration-script", null, admin);
        Assert.Equal(200, rotated.Status);
        var fresh = rotated.Json["secret"]!.GetValue<string>();
        Assert.NotEqual(old, fresh);

        var move = new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "queued" } };
        Assert.Equal(200, (await sender.Send(move)).Status);

        using (api.Clock.FreezeAt(DateTimeOffset.UtcNow.AddHours(25)))
        {
            (await sender.Send(move)).ShouldBeProblem(401);
            sender.Secret = fresh;
            Assert.Equal(200, (await sender.Send(move)).Status);
        }
    }

    [Fact]
    public async Task secrets_are_stored_encrypted_and_only_admins_issue_them()
    {
        var (sender, admin, _) = await Setup();
        var tenant = (await api.Get("/api/transitions", admin)).Status;
        Assert.Equal(200, tenant);
        var contributor = await api.TenantWithKey("contributor");
        (await api.Send("PUT", "/api/webhook-sources/script", null, contributor)).ShouldBeProblem(403);
        (await api.Send("PUT", "/api/webhook-sources/Bad%20Name", null, admin)).ShouldBeProblem(400, "source");

        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var raw = await session.AdvancedSql.QueryAsync<string>("select data::text from cloudtransition.mt_doc_webhooksource", CancellationToken.None);
        Assert.NotEmpty(raw);
        Assert.All(raw, r => Assert.DoesNotContain(sender.Secret["whsec_".Length..], r));
    }

    [Fact]
    public async Task twenty_concurrent_deliveries_of_one_id_append_once()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        var payload = new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "queued" } };
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => sender.Send(payload, id: "msg_twenty")));

        Assert.All(replies, r => Assert.True(r.Status == 200, r.ToString()));
        Assert.Single(replies.Select(r => r.Body).Distinct());
        Assert.Equal(3, await EventCount(id, key));
        Assert.Equal(200, (await sender.Send(payload, id: "msg_twenty")).Status);
        Assert.Equal(3, await EventCount(id, key));
    }

    [Fact]
    public async Task a_redelivery_answers_the_first_result_where_running_it_again_would_be_refused_or_would_start_new_items()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        object Move(string status) => new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status } };
        var first = await sender.Send(Move("queued"), id: "msg_first");
        foreach (var status in new[] { "syncing", "synced", "completed" }) Assert.Equal(200, (await sender.Send(Move(status))).Status);

        var again = await sender.Send(Move("queued"), id: "msg_first"); // queued after completed is refused (409) when run
        Assert.Equal(200, again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal(6, await EventCount(id, key));

        var device = new { type = "device.registered", transitionId = id, data = new { name = "MFP", kind = "printer", canChangePort = true,
            supportsSmtpAuth = true, sendsExternal = false, currentTarget = "exch01:25" } };
        var registered = await sender.Send(device, id: "msg_device");
        var reregistered = await sender.Send(device, id: "msg_device"); // each run registers a device under a fresh id
        Assert.Equal(registered.Body, reregistered.Body);
        Assert.Single((await api.Get($"/api/transitions/{id}/devices", key)).Json.AsArray());
    }

    [Fact]
    public async Task a_batch_with_one_bad_event_appends_nothing_and_a_corrected_redelivery_succeeds()
    {
        var (sender, key, id) = await Setup("ann@abc.com", "bob@abc.com");
        object Batch(string status) => new
        {
            events = new object[]
            {
                new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "queued" } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "bob@abc.com", status } },
            },
        };
        var refused = await sender.Send(Batch("teleported"), id: "msg_fix");
        refused.ShouldBeProblem(400, "events[1].data.status");
        Assert.Equal(3, await EventCount(id, key));

        var accepted = await sender.Send(Batch("queued"), id: "msg_fix");
        Assert.Equal(200, accepted.Status);
        Assert.Equal(5, await EventCount(id, key));
    }

    [Fact]
    public async Task a_rule_refusal_inside_a_batch_rolls_back_the_events_before_it()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        var reply = await sender.Send(new
        {
            events = new object[]
            {
                new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "queued" } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "completed" } },
                new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "syncing" } },
            },
        });
        reply.ShouldBeProblem(409);
        Assert.Equal(2, reply.Json["events"]![0]!["index"]!.GetValue<int>());
        Assert.Equal("not-started", (await api.Get($"/api/transitions/{id}/mailboxes", key)).Json["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_source_cannot_write_into_another_tenants_transition()
    {
        var (sender, _, _) = await Setup();
        var (_, otherKey, otherId) = await Setup("ann@abc.com");
        var reply = await sender.Send(new { type = "mailbox.moved", transitionId = otherId, data = new { address = "ann@abc.com", status = "queued" } });
        reply.ShouldBeProblem(404);
        Assert.Equal(2, await EventCount(otherId, otherKey));
    }

    [Fact]
    public async Task malformed_payloads_are_400()
    {
        var (sender, _, id) = await Setup();
        (await sender.SendRaw(Encoding.UTF8.GetBytes("{not json"))).ShouldBeProblem(400, "body");
        (await sender.Send(new { type = "mailbox.exploded", transitionId = id, data = new { } })).ShouldBeProblem(400, "type");
        (await sender.Send(new { type = "mailbox.moved", transitionId = id })).ShouldBeProblem(400, "data");
        (await sender.Send(new { events = Enumerable.Range(0, 1001).Select(_ => new { type = "mailbox.moved", transitionId = id, data = new { } }) })).ShouldBeProblem(400, "events");
        (await sender.Send(new { type = "mailbox.moved", transitionId = id, data = new { status = "queued" } })).ShouldBeProblem(400, "data.address");
    }

    [Fact]
    public async Task a_redelivery_says_it_was_replayed_and_one_with_another_body_is_409_naming_the_id()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        object Move(string status) => new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status } };
        var first = await sender.Send(Move("queued"), id: "msg_reused");
        Assert.Equal(200, first.Status);
        Assert.False(first.Headers.ContainsKey("Webhook-Replayed"));

        var same = await sender.Send(Move("queued"), id: "msg_reused");
        Assert.Equal(200, same.Status);
        Assert.Equal("true", same.Headers["Webhook-Replayed"]);

        var other = await sender.Send(Move("completed"), id: "msg_reused");
        other.ShouldBeProblem(409);
        Assert.Equal("true", other.Headers["Webhook-Replayed"]);
        Assert.Contains("msg_reused", other.Json["detail"]!.GetValue<string>());
        Assert.Equal(3, await EventCount(id, key));
        Assert.Equal("queued", (await api.Get($"/api/transitions/{id}/mailboxes", key)).Json["items"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_bad_enum_inside_a_batch_names_the_event_field_and_the_accepted_values()
    {
        var (sender, _, id) = await Setup();
        var reply = await sender.Send(new
        {
            events = new object[]
            {
                new { type = "mailbox.inventoried", transitionId = id, data = new { address = "bob@abc.com", kind = "user-mailbox" } },
                new { type = "mailbox.inventoried", transitionId = id, data = new { address = "eve@abc.com", kind = "room" } },
            },
        });
        reply.ShouldBeProblem(400, "events[1].data.kind");
        var message = reply.Json["errors"]!["events[1].data.kind"]![0]!.GetValue<string>();
        Assert.Contains("user-mailbox, resource-mailbox, shared-mailbox", message);
        Assert.DoesNotContain("CloudTransition.", reply.Body);
    }

    [Fact]
    public async Task a_misspelt_field_in_an_event_or_its_data_is_refused_naming_it()
    {
        var (sender, key, id) = await Setup("ann@abc.com");
        var envelope = await sender.Send(new { type = "mailbox.moved", transitionId = id, occuredAt = "2026-11-01T10:00:00Z", data = new { address = "ann@abc.com", status = "queued" } });
        envelope.ShouldBeProblem(400, "occuredAt");
        var data = await sender.Send(new { type = "mailbox.moved", transitionId = id, data = new { address = "ann@abc.com", status = "queued", occuredAt = "2026-11-01T10:00:00Z" } });
        data.ShouldBeProblem(400, "data.occuredAt");
        Assert.Equal(2, await EventCount(id, key));
    }
}
