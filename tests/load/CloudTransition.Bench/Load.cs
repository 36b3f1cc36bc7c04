using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CloudTransition.Bench;

/// <summary>Latencies of one kind of request, and how many went through per second.</summary>
public record Measured(int Requests, int Events, int Failures, double Seconds, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Seconds;
    public double EventsPerSecond => Events / Seconds;
    /// <summary>The whole machine's CPU per event during the phase, when measured.</summary>
    public double MachineMsPerEvent { get; init; }
}

/// <summary>Closed-loop load from a number of concurrent clients, bounded in time, against 127.0.0.1 only.</summary>
public static class Load
{
    /// <summary>What a request function answers when there is nothing left to send: that client stops.</summary>
    public const int Exhausted = int.MinValue;

    public static async Task<Measured> Run(int clients, TimeSpan duration, Func<HttpClient, Task<int>> request)
    {
        var latencies = new ConcurrentBag<double>();
        var (events, failures) = (0, 0);
        var stop = Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (stop.Elapsed < duration)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    var appended = await request(http);
                    if (appended == Exhausted) break;
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    if (appended < 0) Interlocked.Increment(ref failures); else Interlocked.Add(ref events, appended);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return new Measured(sorted.Length, events, failures, stop.Elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99));
    }

    /// <summary>A signed Standard Webhooks delivery; answers the events appended, or -1 when refused.</summary>
    public static async Task<int> Deliver(HttpClient http, string url, string secret, object payload, int events)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var id = "bench_" + Guid.NewGuid().ToString("N");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
        hmac.AppendData(body);
        var signature = Convert.ToBase64String(hmac.GetHashAndReset());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString());
        request.Headers.Add("webhook-signature", $"v1,{signature}");
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? events : -1;
    }
}
