using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace CloudTransition.IntegrationTests.Notifications;

/// <summary>A host that may send to loopback over http (the receivers here), and gives up on an answer after a second.</summary>
public class NotificationsFixture : ApiFixture
{
    /// <summary>Where the tests' SMTP server listens (<see cref="SmtpReceiver"/>).</summary>
    public int SmtpPort { get; } = ApiProcess.FreePort();

    protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder host)
    {
        host.UseSetting("Smtp:Host", "127.0.0.1");
        host.UseSetting("Smtp:Port", SmtpPort.ToString());
        host.UseSetting("Smtp:Tls", "None");
        host.UseSetting("Smtp:From", "digests@cloudtransition.test");
        host.UseSetting("Notifications:AllowHttp", "true");
        host.UseSetting("Notifications:AllowPrivateNetworks", "true");
        host.UseSetting("Notifications:Timeout", "00:00:01");
        host.UseSetting("Alerts:Interval", "00:00:01");
        host.UseSetting("Notifications:IngestionFirstFor", "00:00:03");
    }
}

public class NotificationTests(NotificationsFixture api) : IClassFixture<NotificationsFixture>
{
    private async Task<(string Id, string Secret)> Subscribe(string key, string url, string format, string[] events, string? transitionId = null)
    {
        var created = await api.Post("/api/subscriptions", new { name = $"{format} hook", url, format, events, transitionId }, key);
        Assert.True(created.Status == 201, created.ToString());
        return (created.Json["subscriptionId"]!.GetValue<string>(), created.Json["secret"]!.GetValue<string>());
    }

    private static JsonNode Body(Received r) => JsonNode.Parse(r.Body)!;

    [Fact]
    public async Task events_go_signed_and_in_order_to_the_subscriptions_that_want_them_and_to_no_other_tenant()
    {
        await using var receiver = await Receiver.Start();
        await using var other = await Receiver.Start();
        var key = await api.TenantWithKey("admin");
        var otherKey = await api.TenantWithKey("admin");
        var watched = await api.StartTransition(key, "Watched Ltd");
        var unwatched = await api.StartTransition(key, "Unwatched Ltd");
        var (_, secret) = await Subscribe(key, receiver.Url + "/hooks", "standard-webhooks", ["mailbox.inventoried", "mailbox.moved"], watched);
        await Subscribe(otherKey, other.Url, "standard-webhooks", ["*"]);

        await api.Post($"/api/transitions/{watched}/mailboxes", new[] { new { address = "ann@abc.com", kind = "user-mailbox" }, new { address = "bob@abc.com", kind = "user-mailbox" } }, key);
        await api.Post($"/api/transitions/{unwatched}/mailboxes", new[] { new { address = "cat@abc.com", kind = "user-mailbox" } }, key);
        await api.Post($"/api/transitions/{watched}/blockers", new { name = "BlackBerry users", kind = "other", detail = "BES" }, key);
        foreach (var status in new[] { "queued", "syncing" })
            Assert.Equal(200, (await api.Post($"/api/transitions/{watched}/mailboxes/ann@abc.com/move", new { status }, key)).Status);

        var got = await receiver.WaitFor(4);
        var verifier = new StandardWebhook(secret);
        foreach (var request in got) verifier.Verify(request.Body, request.Headers); // the package's own verifier, not ours: throws when the signature is wrong
        Assert.Equal(["mailbox.inventoried", "mailbox.inventoried", "mailbox.moved", "mailbox.moved"], got.Select(r => Body(r)["type"]!.GetValue<string>()));
        Assert.Equal(["queued", "syncing"], got.Skip(2).Select(r => Body(r)["data"]!["status"]!.GetValue<string>()));
        Assert.All(got, r => Assert.Equal(watched, Body(r)["transitionId"]!.GetValue<string>()));
        Assert.Equal(4, got.Select(r => r.Headers["webhook-id"].ToString()).Distinct().Count());

        // Sentinels recorded after everything above: once they are in, whatever was (wrongly) queued before them would be too —
        // the fan-out reads the store in order. The other tenant's receiver gets its own event, and nothing of this tenant's.
        Assert.Equal(200, (await api.Post($"/api/transitions/{watched}/mailboxes/bob@abc.com/move", new { status = "queued" }, key)).Status);
        var sentinel = await api.StartTransition(otherKey, "Other Ltd");
        Assert.Equal("mailbox.moved", Body((await receiver.WaitFor(5))[4])["type"]!.GetValue<string>());
        Assert.Equal(sentinel, Body((await other.WaitFor(1)).Single())["transitionId"]!.GetValue<string>());
        Assert.Equal(5, receiver.Requests.Count);
        var tampered = got[0] with { Body = got[0].Body.Replace("ann@abc.com", "eve@abc.com") };
        Assert.ThrowsAny<Exception>(() => verifier.Verify(tampered.Body, tampered.Headers));
    }

    [Fact]
    public async Task a_failed_attempt_is_retried_with_the_same_webhook_id_and_the_transitions_later_events_wait_behind_it()
    {
        await using var receiver = await Receiver.Start();
        var key = await api.TenantWithKey("admin");
        var id = await api.StartTransition(key);
        var (subscriptionId, _) = await Subscribe(key, receiver.Url, "standard-webhooks", ["blocker.raised"]);
        receiver.Answers.Enqueue(500);
        receiver.Answers.Enqueue(-3); // longer than the sender waits (1 s here)

        await api.Post($"/api/transitions/{id}/blockers", new { name = "First", kind = "other", detail = "x" }, key);
        await receiver.WaitFor(1);
        await api.Post($"/api/transitions/{id}/blockers", new { name = "Second", kind = "other", detail = "x" }, key);
        var log = (await api.Get($"/api/subscriptions/{subscriptionId}/deliveries", key)).Json.AsArray();
        var first = log.Single(d => d!["attempts"]!.GetValue<int>() == 1)!;
        Assert.Equal(("pending", 500), (first["state"]!.GetValue<string>(), first["lastStatus"]!.GetValue<int>()));
        Assert.Contains("answer 500", first["lastResponse"]!.GetValue<string>());

        // Retried now (rather than in 5 s), timed out, retried after 5 min (the clock moved on): delivered; only then the second.
        var retried = await api.Post($"/api/subscriptions/{subscriptionId}/deliveries/{first["deliveryId"]}/retry", new { }, key);
        Assert.True(retried.Status == 202, retried.ToString());
        await receiver.WaitFor(2);
        await Attempted(key, subscriptionId, 2);
        using (api.Clock.FreezeAt(DateTimeOffset.UtcNow.AddMinutes(6))) await receiver.WaitFor(4);
        (await api.Post($"/api/subscriptions/{subscriptionId}/deliveries/{first["deliveryId"]}/retry", new { }, key)).ShouldBeProblem(409);
        var got = receiver.Requests.ToList();
        Assert.Equal(["First", "First", "First", "Second"], got.Select(r => Body(r)["data"]!["name"]!.GetValue<string>()));
        Assert.Single(got.Take(3).Select(r => r.Headers["webhook-id"].ToString()).Distinct());

        var delivered = (await api.Get($"/api/subscriptions/{subscriptionId}/deliveries?state=delivered", key)).Json.AsArray();
        Assert.Equal([1, 3], delivered.Select(d => d!["attempts"]!.GetValue<int>()).Order());
        Assert.Null((await api.Get($"/api/subscriptions/{subscriptionId}", key)).Json["failingSince"]);
    }

    [Fact]
    public async Task while_automation_sends_faster_than_the_service_records_notifications_wait_but_no_longer_than_allowed()
    {
        await using var receiver = await Receiver.Start();
        var key = await api.TenantWithKey("admin");
        var id = await api.StartTransition(key);
        await Subscribe(key, receiver.Url, "standard-webhooks", ["blocker.raised"]);
        var turns = api.Host.Services.GetRequiredService<CloudTransition.Api.Webhooks.IngestionTurns>();

        var taken = 0;
        try
        {
            while (!turns.AllTaken) { await turns.Take(CancellationToken.None); taken++; } // as if every webhook delivery's turn were busy
            var recorded = System.Diagnostics.Stopwatch.StartNew();
            await api.Post($"/api/transitions/{id}/blockers", new { name = "During the burst", kind = "other", detail = "x" }, key);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Empty(receiver.Requests);
            await receiver.WaitFor(1, seconds: 15);
            Assert.True(recorded.Elapsed >= TimeSpan.FromSeconds(2.5), $"sent after {recorded.Elapsed}, before its 3 s allowance was up");
        }
        finally
        {
            for (; taken > 0; taken--) turns.Give();
        }
        await api.Post($"/api/transitions/{id}/blockers", new { name = "After the burst", kind = "other", detail = "x" }, key);
        Assert.Equal("After the burst", Body((await receiver.WaitFor(2))[1])["data"]!["name"]!.GetValue<string>());
    }

    private async Task Attempted(string key, string subscriptionId, int attempts)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await api.Get($"/api/subscriptions/{subscriptionId}/deliveries", key)).Json.AsArray().Any(d => d!["attempts"]!.GetValue<int>() == attempts)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no delivery was attempted {attempts} times");
    }

    [Fact]
    public async Task a_subscription_whose_deliveries_fail_for_24_hours_is_disabled_and_says_why()
    {
        await using var receiver = await Receiver.Start();
        for (var i = 0; i < 10; i++) receiver.Answers.Enqueue(503);
        var key = await api.TenantWithKey("admin");
        var id = await api.StartTransition(key);
        var (subscriptionId, _) = await Subscribe(key, receiver.Url, "standard-webhooks", ["blocker.raised"]);
        await api.Post($"/api/transitions/{id}/blockers", new { name = "BES", kind = "other", detail = "x" }, key);
        await receiver.WaitFor(1);
        await Attempted(key, subscriptionId, 1);

        using (api.Clock.FreezeAt(DateTimeOffset.UtcNow.AddHours(25))) // the retry is due, and fails a day after the first failure
        {
            await receiver.WaitFor(2);
            await Attempted(key, subscriptionId, 2);
        }
        var subscription = (await api.Get($"/api/subscriptions/{subscriptionId}", key)).Json;
        Assert.Equal("disabled", subscription["state"]!.GetValue<string>());
        Assert.Contains("24 hours", subscription["disabledReason"]!.GetValue<string>());
        Assert.Contains("503", subscription["disabledReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task teams_and_slack_get_their_own_message_shapes_and_a_ping_can_be_sent_on_demand()
    {
        await using var receiver = await Receiver.Start();
        var key = await api.TenantWithKey("admin");
        var (teams, _) = await Subscribe(key, receiver.Url + "/teams", "teams", ["*"]);
        var (slack, _) = await Subscribe(key, receiver.Url + "/slack", "slack", ["*"]);
        var ping = await api.Post($"/api/subscriptions/{teams}/test", new { }, key);
        Assert.True(ping.Status == 202, ping.ToString());
        await receiver.WaitFor(1);
        var id = await api.StartTransition(key, "Contoso & Partners");

        var got = await receiver.WaitFor(3);
        var card = Body(got[0]);
        Assert.Equal("message", card["type"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", card["attachments"]![0]!["contentType"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", card["attachments"]![0]!["content"]!["type"]!.GetValue<string>());
        Assert.Contains("test notification", card["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>());
        var message = got.Select(Body).Single(b => b["blocks"] is not null);
        Assert.Equal("CloudTransition: transition.started — Contoso & Partners", message["text"]!.GetValue<string>());
        Assert.Contains("&amp;", message["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal(id, (await api.Get($"/api/subscriptions/{slack}/deliveries", key)).Json[0]!["transitionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_late_wave_is_alerted_once_recorded_in_the_timeline_and_the_dashboard_and_cleared_when_rescheduled()
    {
        await using var receiver = await Receiver.Start();
        var key = await api.TenantWithKey("admin");
        var id = await api.StartTransition(key);
        await Subscribe(key, receiver.Url, "standard-webhooks", ["wave.late", "endpoint.restart-overdue", "alert.cleared"], id);
        await api.Post($"/api/transitions/{id}/mailboxes", new { address = "ann@abc.com", kind = "user-mailbox" }, key);
        var now = DateTimeOffset.UtcNow;
        var wave = (await api.Post($"/api/transitions/{id}/waves", new { name = "Finance", plannedStart = now.AddDays(-3), plannedCompletion = now.AddDays(-1),
            occurredAt = now.AddDays(-4) }, key)).Json["waveId"]!.GetValue<string>();
        await api.Post($"/api/transitions/{id}/waves/{wave}/mailboxes", new { addresses = new[] { "ann@abc.com" } }, key);
        string Type(Received r) => Body(r)["type"]!.GetValue<string>();

        var late = (await receiver.WaitFor(1)).Single();
        Assert.Equal("wave.late", Type(late));
        Assert.Equal(wave, Body(late)["data"]!["subject"]!.GetValue<string>());
        Assert.Contains("Finance", Body(late)["data"]!["detail"]!.GetValue<string>());

        // A second alert, made true only now, is raised by a later evaluation — which saw the late wave again and did not raise it twice.
        await api.Post($"/api/transitions/{id}/hybrid/configurations",
            new { exchangeVersion = "2013", endpoints = new[] { new { server = "cas01", role = "cas" } }, occurredAt = now.AddHours(-25) }, key);
        await receiver.WaitFor(1, r => Type(r) == "endpoint.restart-overdue");
        Assert.Single(receiver.Requests, r => Type(r) == "wave.late");
        await api.ViewsCaughtUp();
        var alerts = (await api.Get($"/api/transitions/{id}/dashboard", key)).Json["alerts"]!.AsArray();
        Assert.Equal(["wave.late", "endpoint.restart-overdue"], alerts.Select(a => a!["kind"]!.GetValue<string>()));
        var timeline = (await api.Get($"/api/transitions/{id}/timeline?limit=1000", key)).Json["items"]!.AsArray();
        Assert.Equal(2, timeline.Count(e => e!["type"]!.GetValue<string>() == "alert-raised"));

        await api.Post($"/api/transitions/{id}/waves/{wave}/reschedule", new { plannedStart = now.AddDays(-3), plannedCompletion = now.AddDays(5), reason = "Finance close" }, key);
        var cleared = (await receiver.WaitFor(1, r => Type(r) == "alert.cleared")).Single();
        Assert.Equal("wave.late", Body(cleared)["data"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task after_a_rotation_the_old_and_the_new_secret_both_verify_for_a_day_then_only_the_new_one_signs()
    {
        await using var receiver = await Receiver.Start();
        var key = await api.TenantWithKey("admin");
        var (id, old) = await Subscribe(key, receiver.Url, "standard-webhooks", ["*"]);
        var rotated = await api.Post($"/api/subscriptions/{id}/rotate-secret", new { }, key);
        Assert.True(rotated.Status == 200, rotated.ToString());
        var fresh = rotated.Json["secret"]!.GetValue<string>();
        Assert.NotEqual(old, fresh);

        await api.Post($"/api/subscriptions/{id}/test", new { }, key);
        var ping = (await receiver.WaitFor(1)).Single();
        new StandardWebhook(fresh).Verify(ping.Body, ping.Headers);
        // The package checks the first signature only; the previous secret's is the second, checked alone.
        var previous = new HeaderDictionary(ping.Headers.ToDictionary(h => h.Key, h => h.Value));
        previous["webhook-signature"] = ping.Headers["webhook-signature"].ToString().Split(' ')[1];
        new StandardWebhook(old).Verify(ping.Body, previous);
        using (api.Clock.FreezeAt(DateTimeOffset.UtcNow.AddHours(25)))
        {
            await api.Post($"/api/subscriptions/{id}/test", new { }, key);
            Assert.Single((await receiver.WaitFor(2))[1].Headers["webhook-signature"].ToString().Split(' '));
        }
    }

    [Fact]
    public async Task link_local_and_metadata_addresses_are_refused_even_where_private_networks_are_allowed()
    {
        var key = await api.TenantWithKey("admin");
        foreach (var url in new[] { "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/", "http://100.100.100.200/" })
            (await api.Post("/api/subscriptions", new { name = "x", url, format = "slack", events = new[] { "*" } }, key)).ShouldBeProblem(400, "url");
    }
}
