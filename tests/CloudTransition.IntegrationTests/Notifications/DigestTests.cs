using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using CloudTransition.IntegrationTests.Fixtures;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CloudTransition.IntegrationTests.Notifications;

/// <summary>A real SMTP server on loopback (the SmtpServer package, in-process) that keeps every message it is given, as MIME.</summary>
public sealed class SmtpReceiver : MessageStore, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer _server = null!;
    private Task _running = Task.CompletedTask;
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public static SmtpReceiver Start(int port)
    {
        var receiver = new SmtpReceiver();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(receiver);
        receiver._server = new SmtpServer.SmtpServer(options, services);
        receiver._running = receiver._server.StartAsync(receiver._stop.Token);
        return receiver;
    }

    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
    {
        using var stream = new MemoryStream(buffer.ToArray());
        Messages.Enqueue(MimeMessage.Load(stream, ct));
        return Task.FromResult(SmtpResponse.Ok);
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
    }
}

public class DigestTests(NotificationsFixture api) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task a_digest_is_mailed_as_html_with_a_plain_text_part_and_counts_what_changed_since_the_last_one()
    {
        var smtp = SmtpReceiver.Start(api.SmtpPort);
        var key = await api.TenantWithKey("admin");
        var id = await api.StartTransition(key, "Fabrikam <Ltd>");
        await api.Post($"/api/transitions/{id}/mailboxes", new[] { new { address = "ann@abc.com", kind = "user-mailbox" }, new { address = "bob@abc.com", kind = "user-mailbox" } }, key);
        await api.ViewsCaughtUp();
        var digest = await api.Post("/api/digests", new { to = new[] { "pm@partner.example", "lead@customer.example" }, schedule = "daily", transitionId = id }, key);
        Assert.True(digest.Status == 201, digest.ToString());
        var digestId = digest.Json["digestId"]!.GetValue<string>();
        Assert.Equal(7, digest.Json["nextDueAt"]!.GetValue<DateTimeOffset>().UtcDateTime.Hour);

        var sent = await api.Post($"/api/digests/{digestId}/send", new { }, key);
        Assert.True(sent.Status == 200, sent.ToString());
        var message = Assert.Single(smtp.Messages);
        Assert.Equal(["pm@partner.example", "lead@customer.example"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("digests@cloudtransition.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("CloudTransition daily digest — Fabrikam <Ltd>: 0% done, 2 remaining", message.Subject);
        Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
        Assert.Contains("mailbox-inventoried | 2", message.TextBody);
        Assert.Contains("Fabrikam &lt;Ltd&gt;", message.HtmlBody);
        Assert.Contains("<table", message.HtmlBody);

        // The next one counts only what was recorded since.
        await api.Post($"/api/transitions/{id}/mailboxes/ann@abc.com/move", new { status = "queued" }, key);
        await api.Post($"/api/digests/{digestId}/send", new { }, key);
        var second = smtp.Messages.Last();
        Assert.Contains("Since the last digest", second.TextBody);
        Assert.Contains("mailbox-move-status-changed | 1", second.TextBody);
        Assert.DoesNotContain("mailbox-inventoried", second.TextBody);

        var portfolio = await api.Post("/api/digests", new { to = new[] { "pm@partner.example" }, schedule = "weekly" }, key);
        await api.Post($"/api/digests/{portfolio.Json["digestId"]}/send", new { }, key);
        Assert.Contains("Fabrikam <Ltd>", smtp.Messages.Last().TextBody);
        Assert.Equal(DayOfWeek.Monday, portfolio.Json["nextDueAt"]!.GetValue<DateTimeOffset>().UtcDateTime.DayOfWeek);

        // With the SMTP server gone: 503, and the digest says why.
        await smtp.DisposeAsync();
        (await api.Post($"/api/digests/{digestId}/send", new { }, key)).ShouldBeProblem(503);
        var listed = (await api.Get("/api/digests", key)).Json.AsArray().Single(d => d!["digestId"]!.GetValue<string>() == digestId)!;
        Assert.Contains("SMTP server", listed["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task recipients_and_schedule_are_checked()
    {
        var key = await api.TenantWithKey("admin");
        (await api.Post("/api/digests", new { to = new[] { "pm@partner.example", "not an address" }, schedule = "daily" }, key)).ShouldBeProblem(400, "to[1]");
        (await api.Post("/api/digests", new { to = new[] { "pm@partner.example" }, schedule = "hourly" }, key)).ShouldBeProblem(400, "schedule");
        (await api.Post("/api/digests", new { to = Array.Empty<string>(), schedule = "daily" }, key)).ShouldBeProblem(400, "to");
        Assert.Equal(403, (await api.Post("/api/digests", new { to = new[] { "a@b.example" }, schedule = "daily" }, await api.TenantWithKey("contributor"))).Status);
    }
}
