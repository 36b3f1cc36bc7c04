using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudTransition.IntegrationTests.Notifications;

/// <summary>One request a receiver got: its headers and body as sent.</summary>
public sealed record Received(IHeaderDictionary Headers, string Body, DateTimeOffset At);

/// <summary>A real HTTP receiver on loopback (Kestrel): records what it gets and answers as told (status, or a pause longer than the sender waits).</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Requests { get; } = new();
    /// <summary>The answers to give, in turn; 200 when none is left. A negative number: wait that many seconds, then 200.</summary>
    public ConcurrentQueue<int> Answers { get; } = new();
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
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            receiver!.Requests.Enqueue(new Received(headers, body, DateTimeOffset.UtcNow));
            var answer = receiver.Answers.TryDequeue(out var a) ? a : 200;
            if (answer < 0) await Task.Delay(TimeSpan.FromSeconds(-answer));
            return Results.Text(answer < 0 ? "late" : $"answer {answer}", statusCode: answer < 0 ? 200 : answer);
        });
        await app.StartAsync();
        receiver = new Receiver(app, app.Urls.Single());
        return receiver;
    }

    public async Task<List<Received>> WaitFor(int count, Func<Received, bool>? which = null, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var got = Requests.Where(which ?? (_ => true)).ToList();
            if (got.Count >= count) return got;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the receiver got {Requests.Count(which ?? (_ => true))} of {count} requests in {seconds} s");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
