using Alba;
using Marten.Events;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>
/// One in-process API host (Alba, through the whole ASP.NET pipeline) for the collection, on its own fresh
/// database. Tests isolate themselves by creating their own transitions and tenants.
/// </summary>
public class ApiFixture : IAsyncLifetime, IApi
{
    private TestDatabase _database = null!;
    public string AdminKey { get; } = "ct_test_admin_" + Guid.NewGuid().ToString("N");
    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    public DateTimeOffset UtcNow => Clock.GetUtcNow();
    public string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabase();
        Host = await AlbaHost.For<Program>(x =>
        {
            x.UseSetting("ConnectionStrings:Marten", _database.ConnectionString);
            x.UseSetting("CLOUDTRANSITION_ADMIN_KEY", AdminKey);
            x.UseSetting("DataProtection:CertificatePath", TestDatabase.KeyEncryptionCertificate());
            x.UseSetting("RateLimit:PermitsPerSecond", "0"); // the fuzz test sends faster than a real key may; limits are tested on a real process
            // Alerts append events on their own clock: tests that count a transition's events would see them at random; the alert tests set it.
            x.UseSetting("Alerts:Interval", "01:00:00");
            // Checkpoints every 10 events, looked for every second: the as-of tests read through them (CheckpointTests proves them equal to the full fold).
            x.UseSetting("Views:CheckpointEvery", "10");
            x.UseSetting("Views:CheckpointInterval", "00:00:01");
            Configure(x);
            x.ConfigureTestServices(s =>
            {
                s.DisableAllExternalWolverineTransports();
                s.RunWolverineInSoloMode();
                s.AddSingleton<TimeProvider>(Clock);
            });
        });
    }

    protected virtual Task<TestDatabase> CreateDatabase() => TestDatabase.Create();

    protected virtual void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder host) { }

    /// <summary>Waits until the async projections have applied every event appended so far.</summary>
    public Task ViewsCaughtUp() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

    public Task<Reply> Send(string method, string url, byte[]? body, string? key,
        string? contentType = null, IDictionary<string, string>? headers = null) =>
        new HostApi(Host, AdminKey, Clock).Send(method, url, body, key, contentType, headers);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>Talks to an in-process host through the whole ASP.NET pipeline (Alba).</summary>
public sealed class HostApi(IAlbaHost host, string adminKey, TimeProvider? clock = null) : IApi
{
    public string AdminKey => adminKey;
    public DateTimeOffset UtcNow => (clock ?? TimeProvider.System).GetUtcNow();

    public async Task<Reply> Send(string method, string url, byte[]? body, string? key,
        string? contentType = null, IDictionary<string, string>? headers = null)
    {
        key ??= AdminKey;
        var result = await host.Scenario(x =>
        {
            var target = method switch { "GET" => x.Get, "DELETE" => x.Delete, "PUT" => x.Put, _ => x.Post };
            target.Url(url);
            x.ConfigureHttpContext(c =>
            {
                if (key.Length > 0) c.Request.Headers.Authorization = $"Bearer {key}";
                foreach (var (name, value) in headers ?? new Dictionary<string, string>()) c.Request.Headers[name] = value;
                if (body is null) return;
                c.Request.ContentType = contentType;
                c.Request.ContentLength = body.Length;
                c.Request.Body = new MemoryStream(body);
            });
            x.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        var responseHeaders = result.Context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString());
        var reply = new Reply(result.Context.Response.StatusCode, text, responseHeaders);
        await Contract.ContractConformance.Check(method, url, reply);
        return reply;
    }
}

[CollectionDefinition(Name)]
public class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
