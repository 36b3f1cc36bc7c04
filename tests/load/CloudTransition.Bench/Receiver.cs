using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudTransition.Bench;

/// <summary>A loopback webhook receiver (Kestrel) that answers 204 at once and notes how long after its recording each event arrived.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentBag<double> LagsMs { get; } = [];
    public string Url { get; }

    private Receiver(WebApplication app, string url) => (_app, Url) = (app, url);

    public static async Task<Receiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Receiver? receiver = null;
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var recorded = body.RootElement.GetProperty("timestamp").GetDateTimeOffset();
            receiver!.LagsMs.Add((DateTimeOffset.UtcNow - recorded).TotalMilliseconds);
            return Results.NoContent();
        });
        await app.StartAsync();
        return receiver = new Receiver(app, app.Urls.Single());
    }

    public double Percentile(double p)
    {
        var sorted = LagsMs.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
