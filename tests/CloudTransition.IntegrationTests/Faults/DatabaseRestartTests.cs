using System.Diagnostics;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Faults;

[Collection(FaultCollection.Name)]
public class DatabaseRestartTests
{
    private static async Task Postgres(string action)
    {
        var script = Path.Combine(TestDatabase.RepositoryRoot(), "deploy/dev.sh");
        using var pg = Process.Start(new ProcessStartInfo("bash", [script, "pg", action]) { RedirectStandardError = true })!;
        await pg.WaitForExitAsync();
        Assert.True(pg.ExitCode == 0, $"deploy/dev.sh pg {action}: {await pg.StandardError.ReadToEndAsync()}");
    }

    [Fact]
    public async Task an_outage_answers_503_and_the_service_heals_by_itself()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi();
        using var api = new LiveApi(process.BaseUrl, harness.AdminKey);
        await harness.Prepare(api);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var load = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var n = 0; n < 20; n++)
                await harness.DeliverUntilAccepted(() => process.BaseUrl, $"outage-{client}-{n}", $"case {client}/{n}", stop.Token);
        })).ToList();
        while ((await harness.StoredCases()).Count < 10) await Task.Delay(50); // the outage starts once the load is flowing

        await Postgres("stop");
        var watch = Stopwatch.StartNew();
        var during = await api.Get("/api/transitions", harness.TenantKey);
        var answeredIn = watch.Elapsed;
        var ready = await api.Get("/health/ready", "");
        await Postgres("start");
        watch.Restart();
        while ((await FaultHarness.Try(() => api.Get("/api/transitions", harness.TenantKey)))?.Status != 200 && watch.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);
        var recoveredIn = watch.Elapsed;
        await Task.WhenAll(load);
        var stored = await harness.StoredCases();
        var viewCaughtUp = await harness.ViewCounts(api, 160, TimeSpan.FromSeconds(60));
        await FaultHarness.Record("database-restart",
            $"during the outage: {during.Status} in {answeredIn.TotalMilliseconds:0} ms, ready {ready.Status}; API recovered {recoveredIn.TotalSeconds:0.0} s after PostgreSQL returned; " +
            $"160 deliveries, {stored.Values.Sum()} stored, {stored.Values.Sum(c => c - 1)} duplicates; view caught up in {viewCaughtUp.TotalSeconds:0.0} s");

        during.ShouldBeProblem(503);
        Assert.True(during.Headers.ContainsKey("Retry-After"));
        Assert.True(answeredIn < TimeSpan.FromSeconds(10));
        Assert.Equal(503, ready.Status);
        Assert.True(recoveredIn < TimeSpan.FromSeconds(10), $"recovered in {recoveredIn}");
        Assert.Equal(160, stored.Count);
        Assert.All(stored, s => Assert.Equal(1, s.Value));
    }
}
