using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudTransition.Bench;

/// <summary>
/// A loopback webhook receiver (Kestrel) that answers 204 at once and notes how long after its recording each event arrived. It
/// shares the machine with the service it measures, so it does as little as a receiver can: no routing, and only the payload's
/// `timestamp` is read from the body.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private static readonly byte[] Timestamp = "timestamp"u8.ToArray();
    private readonly WebApplication _app;
    private ConcurrentQueue<double> _lagsMs = new();
    public string Url { get; }

    private Receiver(WebApplication app, string url) => (_app, Url) = (app, url);

    public int Received => _lagsMs.Count;

    /// <summary>Starts counting again: what arrived so far was the warm-up.</summary>
    public void Forget() => _lagsMs = new();

    public static async Task<Receiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Receiver? receiver = null;
        app.Run(async http =>
        {
            var recorded = await RecordedAt(http.Request.BodyReader);
            receiver!._lagsMs.Enqueue((DateTimeOffset.UtcNow - recorded).TotalMilliseconds);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        return receiver = new Receiver(app, app.Urls.Single());
    }

    private static async Task<DateTimeOffset> RecordedAt(PipeReader body)
    {
        while (true)
        {
            var read = await body.ReadAsync();
            if (read.IsCompleted)
            {
                var at = Find(read.Buffer);
                body.AdvanceTo(read.Buffer.End);
                return at;
            }
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static DateTimeOffset Find(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(Timestamp) && reader.Read())
                return reader.GetDateTimeOffset();
        throw new InvalidDataException("a delivery without a timestamp");
    }

    public double Percentile(double p)
    {
        var sorted = _lagsMs.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
