using System.Net.Http.Headers;
using System.Text;
using CloudTransition.Api.Webhooks;

namespace CloudTransition.Api.Notifications;

/// <summary>What one attempt got: the status, or why there was none, and the answer's first bytes.</summary>
public sealed record Attempt(int? Status, string? Error, string? Response)
{
    public bool Delivered => Status is >= 200 and < 300;
}

/// <summary>Sends one delivery: signed (Standard Webhooks headers on every format), no redirects followed, at most 64 KB of the answer read.</summary>
public sealed class NotificationSender(Common.OutboundTargets targets, NotificationOptions options, SecretProtector secrets, TimeProvider time) : IDisposable
{
    private const int ReadAtMost = 64 * 1024, KeepAtMost = 1000;
    // Unprotecting a secret is a decryption; a subscription signs thousands of deliveries with the same one.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _keys = new();

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, UseProxy = false, UseCookies = false, ConnectCallback = targets.Connect,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = options.Timeout,
    }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<Attempt> Send(NotificationSubscription subscription, NotificationDelivery delivery, string url, CancellationToken ct)
    {
        var body = NotificationPayloads.Body(subscription.Format, delivery, subscription.TenantId);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString());
        // Every valid secret signs, the newest first (space-separated, as Standard Webhooks allows): a receiver still on the previous secret keeps
        // verifying. Newest first because some verifiers look at the first signature only (the StandardWebhooks NuGet package 1.1.2 does).
        request.Headers.Add("webhook-signature", string.Join(' ', SourceSecret.ValidAt(subscription.Secrets, time.GetUtcNow()).OrderByDescending(s => s.CreatedAt)
            .Select(s => Signature.Sign(_keys.GetOrAdd(s.Protected, _ => secrets.KeyOf(s)), delivery.Id, timestamp, body))));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("CloudTransition", "1.0"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new Attempt((int)response.StatusCode, null, await FirstBytes(response, timeout.Token));
        }
        catch (HttpRequestException e) when (e.InnerException is Common.TargetRefusedException refused) { return new Attempt(null, $"refused: {refused.Message}", null); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return new Attempt(null, $"no answer within {options.Timeout.TotalSeconds:0.#} s", null); }
        catch (HttpRequestException e) { return new Attempt(null, e.Message, null); }
    }

    private static async Task<string> FirstBytes(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        // Pooled: a busy fan-out reads thousands of answers a second, most of them empty.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadAtMost);
        try
        {
            var read = 0;
            while (read < ReadAtMost && await stream.ReadAsync(buffer.AsMemory(read, ReadAtMost - read), ct) is > 0 and var n) read += n;
            var text = Encoding.UTF8.GetString(buffer, 0, read);
            return text.Length > KeepAtMost ? text[..KeepAtMost] : text;
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }

    public void Dispose() => _http.Dispose();
}
