using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Fixtures;
using Npgsql;

namespace CloudTransition.IntegrationTests.Faults;

/// <summary>Fault tests stop processes and PostgreSQL itself, so they run alone, after everything else.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class FaultCollection
{
    public const string Name = "faults";
}

/// <summary>A tenant on a fresh database with a transition and a webhook source, and automation that retries like the real thing.</summary>
public sealed class FaultHarness : IAsyncDisposable
{
    public TestDatabase Database { get; private init; } = null!;
    public string AdminKey { get; } = "ct_fault_admin_" + Guid.NewGuid().ToString("N");
    public string Tenant { get; } = "faults-" + Guid.NewGuid().ToString("N")[..6];
    public string TransitionId { get; private set; } = "";
    public string Secret { get; private set; } = "";
    public string TenantKey { get; private set; } = "";

    public static async Task<FaultHarness> Create() => new() { Database = await TestDatabase.Create() };

    /// <summary>The API as its own process on this harness's database, with its admin key.</summary>
    public Task<ApiProcess> StartApi(int? port = null, IDictionary<string, string>? environment = null) =>
        ApiProcess.Start(Database.ConnectionString, AdminKey, port, environment);

    public async Task Prepare(IApi api)
    {
        await api.Post("/api/tenants", new { id = Tenant, name = "Faults" });
        TenantKey = await api.KeyFor(Tenant, "admin");
        TransitionId = await api.StartTransition(TenantKey);
        Secret = (await api.Send("PUT", "/api/webhook-sources/automation", null, TenantKey)).Json["secret"]!.GetValue<string>();
    }

    /// <summary>Posts one delivery until it is acknowledged, re-signing each retry with the same webhook-id; answers the attempts.</summary>
    public async Task<int> DeliverUntilAccepted(Func<string> baseUrl, string deliveryId, string title, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 1; ; attempt++)
        {
            stop.ThrowIfCancellationRequested();
            var body = System.Text.Encoding.UTF8.GetBytes(new JsonObject
            {
                ["type"] = "support-case.opened", ["transitionId"] = TransitionId,
                ["data"] = new JsonObject { ["title"] = title, ["vendor"] = "Microsoft", ["channel"] = "partner", ["severity"] = "c" },
            }.ToJsonString());
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl()}/api/webhooks/{Tenant}/automation") { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            request.Headers.Add("webhook-id", deliveryId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString());
            request.Headers.Add("webhook-signature", WebhookSender.Sign(Secret, deliveryId, timestamp, body));
            try
            {
                using var response = await http.SendAsync(request, stop);
                if (response.IsSuccessStatusCode) return attempt;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested) { }
            await Task.Delay(200, stop);
        }
    }

    /// <summary>How many support cases each title opened, straight from the events table.</summary>
    public async Task<Dictionary<string, long>> StoredCases()
    {
        // Unpooled: the database restart test stops PostgreSQL under this harness's feet.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select data->>'title', count(*) from cloudtransition.mt_events where tenant_id = @t and type = 'support_case_opened' group by 1", connection);
        command.Parameters.AddWithValue("t", Tenant);
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>Waits until the dashboard (the async projection) counts this many cases; answers how long it took.</summary>
    public async Task<TimeSpan> ViewCounts(IApi api, int cases, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            var reply = await Try(() => api.Get($"/api/transitions/{TransitionId}/dashboard", TenantKey));
            if (reply?.Status == 200 && reply.Json["supportCases"]!["total"]!.GetValue<int>() == cases) return watch.Elapsed;
            await Task.Delay(250);
        }
        var last = await api.Get($"/api/transitions/{TransitionId}/dashboard", TenantKey);
        throw new TimeoutException($"The view did not reach {cases} cases within {within}: {last.Body[..Math.Min(400, last.Body.Length)]}");
    }

    public static async Task<Reply?> Try(Func<Task<Reply>> call)
    {
        try { return await call(); }
        catch (HttpRequestException) { return null; }
        catch (TaskCanceledException) { return null; }
    }

    public static async Task Record(string name, string line)
    {
        var dir = Path.Combine(TestDatabase.RepositoryRoot(), ".data/test-results");
        Directory.CreateDirectory(dir);
        await File.AppendAllTextAsync(Path.Combine(dir, "faults.txt"), $"{DateTimeOffset.UtcNow:u} {name}: {line}\n");
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
