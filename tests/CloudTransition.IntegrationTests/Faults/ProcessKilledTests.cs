using System.Diagnostics;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Faults;

[Collection(FaultCollection.Name)]
public class ProcessKilledTests
{
    private const int Clients = 32, DeliveriesPerClient = 15;

    [Fact]
    public async Task deliveries_survive_three_sigkills_exactly_once()
    {
        await using var harness = await FaultHarness.Create();
        await using var receiver = await Notifications.Receiver.Start();
        var port = ApiProcess.FreePort();
        var loopbackTargets = new Dictionary<string, string> { ["Notifications__AllowHttp"] = "true", ["Notifications__AllowPrivateNetworks"] = "true" };
        var process = await harness.StartApi(port, loopbackTargets);
        var baseUrl = process.BaseUrl;
        using var api = new LiveApi(baseUrl, harness.AdminKey);
        await harness.Prepare(api);
        // Every case opened is also sent out: killed mid-send too, none may be lost.
        Assert.Equal(201, (await api.Post("/api/subscriptions", new { name = "receiver", url = receiver.Url, format = "standard-webhooks", events = new[] { "support-case.opened" } },
            harness.TenantKey)).Status);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var (attempts, sent, killsDone) = (0, 0, false);
        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            // Each client keeps delivering until the three kills are over (and at least its share).
            for (var n = 0; n < DeliveriesPerClient || !Volatile.Read(ref killsDone); n++)
            {
                Interlocked.Add(ref attempts, await harness.DeliverUntilAccepted(() => baseUrl, $"kill-{client}-{n}", $"case {client}/{n}", stop.Token));
                Interlocked.Increment(ref sent);
            }
        })).ToList();

        var recoveries = new List<TimeSpan>();
        for (var kill = 0; kill < 3; kill++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Kill();
            var watch = Stopwatch.StartNew();
            process = await harness.StartApi(port, loopbackTargets);
            recoveries.Add(watch.Elapsed);
        }
        Volatile.Write(ref killsDone, true);
        await Task.WhenAll(clients);

        var stored = await harness.StoredCases();
        var duplicates = stored.Values.Sum(c => c - 1);
        var lost = sent - stored.Count;
        var viewCaughtUp = await harness.ViewCounts(api, sent, TimeSpan.FromSeconds(60));
        List<string> Notified() => receiver.Requests.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!["data"]!["title"]!.GetValue<string>()).ToList();
        for (var waited = Stopwatch.StartNew(); Notified().Distinct().Count() < sent && waited.Elapsed < TimeSpan.FromSeconds(90);) await Task.Delay(250);
        var notifiedTitles = Notified();
        await FaultHarness.Record("process-killed",
            $"{sent} deliveries, {attempts} attempts, {sent} acknowledged, {stored.Values.Sum()} stored, {duplicates} duplicates, {lost} lost; " +
            $"notifications: {notifiedTitles.Distinct().Count()} of {sent} events sent out, {notifiedTitles.Count - notifiedTitles.Distinct().Count()} sent twice (at least once); " +
            $"restart to ready: {string.Join(", ", recoveries.Select(r => $"{r.TotalSeconds:0.0} s"))}; view caught up {viewCaughtUp.TotalSeconds:0.0} s after the last delivery");
        await process.DisposeAsync();

        Assert.Equal(sent, stored.Count);
        Assert.All(stored, s => Assert.Equal(1, s.Value));
        Assert.Equal(stored.Keys.Order(), notifiedTitles.Distinct().Order());
        Assert.True(attempts > sent, "no delivery was retried: the kills did not hit the load");
    }
}
