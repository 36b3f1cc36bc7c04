using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudTransition.Bench;
using Npgsql;

// deploy/dev.sh bench: seeds a million events, measures raw PostgreSQL and the service in the same run, prints one table.
var root = Environment.GetEnvironmentVariable("CLOUDTRANSITION_ROOT") ?? Directory.GetCurrentDirectory();
var server = Environment.GetEnvironmentVariable("ConnectionStrings__Marten") ?? throw new InvalidOperationException("run through deploy/dev.sh bench");
var pgBin = Environment.GetEnvironmentVariable("PGBIN") ?? "/usr/lib/postgresql/15/bin";
var seconds = int.Parse(Environment.GetEnvironmentVariable("BENCH_SECONDS") ?? "20");
var database = new NpgsqlConnectionStringBuilder(server) { Database = "ct_bench", Pooling = false };
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = "ct_bench", MaxPoolSize = 100 }.ConnectionString;
var adminKey = "ct_bench_" + Guid.NewGuid().ToString("N");
var results = new List<(string Figure, double Value, string Unit, double? Baseline, string? Target)>();
Service? running = null;
void Report(string figure, double value, string unit, double? baseline = null, string? target = null)
{
    if (running is not null) Console.WriteLine($"    (service RSS {running.RssMb():0} MB, peak {running.PeakRssMb():0} MB)");
    results.Add((figure, value, unit, baseline, target));
    Console.WriteLine($"  {figure}: {value:0.##} {unit}");
}

await Admin("drop database if exists ct_bench with (force)");
await Admin("create database ct_bench");

// 1. Schema (first start), then the bulk seed through the service's own store configuration.
using (await Service.Start(root, connectionString, adminKey, Port())) { }
var tenant = "bench";
Console.WriteLine("Seeding…");
// BENCH_EVENTS (1,000,000) sets the store's size, BENCH_HUGE_EVENTS (250,000; 0 for none) the one huge transition's; BENCH_TRANSITIONS, when
// set, the number of transitions instead.
var hugeEvents = int.Parse(Environment.GetEnvironmentVariable("BENCH_HUGE_EVENTS") ?? "250000");
var transitionCount = Environment.GetEnvironmentVariable("BENCH_TRANSITIONS") is { } given ? int.Parse(given)
    : Seeder.TransitionsFor(long.Parse(Environment.GetEnvironmentVariable("BENCH_EVENTS") ?? "1000000"), hugeEvents);
var seeder = new Seeder(connectionString, tenant, transitionCount, hugeEvents);
var seedWatch = Stopwatch.StartNew();
var seeded = await seeder.Run();
Report("seeded events", seeded, "events");
Report("seed rate (bulk path)", seeded / seedWatch.Elapsed.TotalSeconds, "events/s");

// A bulk load is followed by VACUUM ANALYZE in any real operation; without it autovacuum competes with every
// measurement below and the planner works from empty statistics.
await Sql("vacuum analyze");

// 2. Raw PostgreSQL baseline, same cluster, same run.
Console.WriteLine("Raw PostgreSQL baseline…");
var cpu = CpuTime.Now();
var pgbench = await Pgbench(seconds);
Report("pgbench single-row JSON inserts, 32 clients", pgbench, "rows/s");
Report("pgbench: machine CPU per row", CpuTime.Now().Since(cpu).Machine * 1000 / (pgbench * seconds), "ms");
var copy = await Copy(100_000);
Report("COPY of 100,000 JSON rows", copy, "rows/s");

// 3. The service.
var service = await Service.Start(root, connectionString, adminKey, Port());
running = service;
Report("process start to /health/ready", service.StartToReady.TotalSeconds, "s", null, "≤ 5 s");
using var client = new HttpClient { BaseAddress = new Uri(service.Url) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
await client.PostAsync("/api/tenants", Json(new { id = tenant, name = "Bench" }));
var tenantKey = (await Read(await client.PostAsync("/api/keys", Json(new { tenant, role = "admin", name = "bench" }))))["key"]!.GetValue<string>();
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
var secret = (await Read(await client.PutAsync("/api/webhook-sources/bench", null)))["secret"]!.GetValue<string>();
var webhook = $"{service.Url}/api/webhooks/{tenant}/bench";
Report("async view catch-up after the seed (service running)", seeded / (await UntilCaughtUp()).TotalSeconds, "events/s");
// The seed came in bulk, so its checkpoints are all still to cut (a step of 2,000 events folded at a time, under the transition's lock);
// a service that recorded those events as they happened cut them on the way. Measured first, so that no phase below pays for that backlog
// (measured with pg_stat_statements: it was most of PostgreSQL's time during the single-event phase, which came first).
Report("checkpoints cut after the seed", (await UntilCheckpointed()).TotalSeconds, "s");
await Sql("vacuum analyze"); // the catch-up wrote a document per mailbox

// Each mailbox the seed left unmoved is first queued; once that move is accepted it goes to the back of the queue for its next step
// (syncing, synced, completed), so the 2,000 per transition last four times as long (they ran out once the service got faster).
string[] moves = ["queued", "syncing", "synced", "completed"];
var fresh = new System.Collections.Concurrent.ConcurrentQueue<(string Transition, string Address, int Move)>(
    seeder.Created.SelectMany(t => t.Fresh.Select(a => (t.Id, a, 0))).OrderBy(_ => Random.Shared.Next()));
object Moved((string Transition, string Address, int Move) m) =>
    new { type = "mailbox.moved", transitionId = m.Transition, data = new { address = m.Address, status = moves[m.Move] } };

async Task<int> Delivered(Task<int> delivery, IEnumerable<(string Transition, string Address, int Move)> sent)
{
    var appended = await delivery;
    if (appended > 0)
        foreach (var m in sent.Where(m => m.Move + 1 < moves.Length)) fresh.Enqueue(m with { Move = m.Move + 1 });
    return appended;
}

Task<int> DeliverSingle(HttpClient http) =>
    fresh.TryDequeue(out var m) ? Delivered(Load.Deliver(http, webhook, secret, Moved(m), 1), [m]) : Task.FromResult(Load.Exhausted);

Task<int> DeliverBatch(HttpClient http)
{
    var sent = new List<(string Transition, string Address, int Move)>();
    while (sent.Count < 100 && fresh.TryDequeue(out var m)) sent.Add(m);
    return sent.Count > 0 ? Delivered(Load.Deliver(http, webhook, secret, new { events = sent.Select(Moved) }, sent.Count), sent) : Task.FromResult(Load.Exhausted);
}

var largest = seeder.Created.OrderByDescending(t => t.Events).First().Id;
var transitions = seeder.Created.Select(t => t.Id).ToArray();
Func<HttpClient, Task<int>> Reading(string view) => async http =>
{
    var id = transitions[Random.Shared.Next(transitions.Length)];
    using var request = new HttpRequestMessage(HttpMethod.Get, $"{service.Url}/api/transitions/{id}/{view}");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
    using var response = await http.SendAsync(request);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode ? 0 : -1;
};
Task<Measured[]> Reads(TimeSpan duration) => Task.WhenAll(Load.Run(2, duration, Reading("dashboard")), Load.Run(2, duration, Reading("dependencies?limit=100")));

// A service runs for days: what matters is its steady state, not its first minute, when the JIT is still
// compiling and re-compiling hot methods (measured with dotnet-counters: 0.5–0.8 s of JIT per second during the
// first 25 s of load, against 0.05 once warm). So every path is exercised first, unmeasured.
var warmUp = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_SECONDS") ?? "15"));
Console.WriteLine($"Warming up for {2 * warmUp.TotalSeconds:0} s (not measured)…");
await Task.WhenAll(Load.Run(32, warmUp, DeliverSingle), Reads(warmUp));
await Task.WhenAll(Load.Run(32, warmUp, DeliverBatch), Reads(warmUp));
await UntilCaughtUp(); // each phase starts with the async view caught up, not working off the previous one's backlog

await Ingest("single-event webhooks", "single-event webhook", DeliverSingle, "≥ 0.10 × pgbench");
var unsubscribed = await Ingest("100-event batches", "batch", DeliverBatch, "≥ 0.50 × pgbench");

// Fan-out must not slow ingestion: the same batches with 5 subscriptions to a local receiver, and how late each delivery arrives
// after its event was recorded. The subscriptions are deleted afterwards, so the phases below compare with earlier runs.
await using (var receiver = await Receiver.Start())
{
    // What one delivery cannot cost less than on this machine: an HTTP POST of a delivery's size on loopback, sender and receiver
    // (a bare HttpClient, 8 at a time). Five per event bound the ratio below even if everything else the fan-out does were free.
    var exchange = await HttpExchangeMs(receiver.Url);
    receiver.Forget();
    Report("one webhook POST on loopback: CPU of sender and receiver", exchange * 1000, "µs");
    Report("ceiling of the ratio below from those POSTs alone", unsubscribed.MachineMsPerEvent / (unsubscribed.MachineMsPerEvent + 5 * exchange), "×");
    var subscriptions = new List<string>();
    for (var i = 0; i < 5; i++)
        subscriptions.Add((await Read(await client.PostAsync("/api/subscriptions",
            Json(new { name = $"bench {i}", url = $"{receiver.Url}/{i}", format = "standard-webhooks", events = new[] { "mailbox.moved" } }))))["subscriptionId"]!.GetValue<string>());
    // Like every other phase, the fan-out's code is run first, unmeasured: without this its first seconds were the JIT's (perf: 14% of
    // the service's samples in libclrjit during the phase), which a service running for days does not pay.
    var warm = await Load.Run(32, warmUp, DeliverBatch);
    await UntilCaughtUp();
    var drained = Stopwatch.StartNew();
    while (receiver.Received < 5 * warm.Events && drained.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(250);
    receiver.Forget();
    // The service holds notifications back while every webhook turn is taken (Notifications__IngestionFirstFor, 30 s): how many went
    // out during the phase, and how long after it the rest took, show what the ratio below cost.
    var (duringPhase, drain) = (0, new Stopwatch());
    var subscribed = await Ingest("100-event batches with 5 subscriptions", "batch with 5 subscriptions", DeliverBatch, "within 20% of no subscriptions",
        () => (duringPhase, drain) = (receiver.Received, Stopwatch.StartNew()));
    Report("100-event batches with 5 subscriptions against none", subscribed.EventsPerSecond / unsubscribed.EventsPerSecond, "×", null, "≥ 0.8");
    var expected = 5 * subscribed.Events;
    while (receiver.Received < expected && drain.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(250);
    Report("notifications delivered while the batches went on", duringPhase, "deliveries", null, $"of {expected:N0}");
    Report("notifications: the rest delivered within", drain.Elapsed.TotalSeconds, "s after the phase");
    Report("notifications delivered after the phase", receiver.Received, "deliveries", null, $"{expected:N0} expected");
    Report("notifications: delay from recording to delivery p50", receiver.Percentile(0.50), "ms");
    Report("notifications: delay from recording to delivery p99", receiver.Percentile(0.99), "ms");
    foreach (var id in subscriptions) await client.DeleteAsync($"/api/subscriptions/{id}");
}
// BENCH_STOP_AFTER=notifications: the ingestion and notification figures only, for trying a change to the write path quickly;
// BENCH_STOP_AFTER=reads: those and the reads, alone and during ingestion.
bool StopsAfter(string phase) => Environment.GetEnvironmentVariable("BENCH_STOP_AFTER") == phase;
if (StopsAfter("notifications"))
{
    service.Dispose();
    Print();
    return 0;
}

// Until every transition's view is within the service's CheckpointEvery (2,000) events of its last checkpoint.
async Task<TimeSpan> UntilCheckpointed()
{
    var watch = Stopwatch.StartNew();
    while (await Scalar("select count(*) from cloudtransition.mt_doc_transition_wave_view v where (v.data ->> 'events')::bigint - coalesce((select (c.data -> 'view' ->> 'events')::bigint " +
                        "from cloudtransition.mt_doc_view_checkpoint c where c.tenant_id = v.tenant_id and c.transition_id = v.id order by c.at desc limit 1), 0) >= 2000") > 0)
    {
        if (watch.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("checkpoints not cut within 5 minutes");
        await Task.Delay(500);
    }
    return watch.Elapsed;
}

async Task<double> HttpExchangeMs(string url)
{
    const int posts = 20_000;
    using var http = new HttpClient();
    var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "mailbox.moved", timestamp = DateTimeOffset.UtcNow, data = new string('x', 300) }));
    async Task Post() { using var response = await http.PostAsync($"{url}/exchange", new ByteArrayContent(body)); }
    await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) => await Post());
    var cpu = CpuTime.Now();
    await Parallel.ForEachAsync(Enumerable.Range(0, posts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) => await Post());
    return CpuTime.Now().Since(cpu).Bench * 1000 / posts; // this process is both ends; the machine's total would add whatever else runs
}

// One ingestion phase: throughput against pgbench, latency, CPU per event; then the async view catches up.
async Task<Measured> Ingest(string phase, string each, Func<HttpClient, Task<int>> deliver, string target, Action? whenLoadEnds = null)
{
    Console.WriteLine($"{char.ToUpper(phase[0])}{phase[1..]}…");
    var statements = await Statements.Reset(database.ConnectionString);
    var cpu = CpuTime.Now(service.Pid);
    var measured = await Load.Run(32, TimeSpan.FromSeconds(seconds), deliver);
    whenLoadEnds?.Invoke();
    Report($"{phase}, 32 clients", measured.EventsPerSecond, "events/s", pgbench, target);
    Report($"{each} p50", measured.P50Ms, "ms");
    Report($"{each} p99", measured.P99Ms, "ms");
    var used = CpuTime.Now(service.Pid).Since(cpu);
    ReportCpu(phase, used, measured.Events);
    await UntilCaughtUp();
    if (statements) await Statements.Print(database.ConnectionString, measured.Events);
    return measured with { MachineMsPerEvent = used.Machine * 1000 / measured.Events };
}

Console.WriteLine("Dashboard and dependency reads, alone, then while the batches go on…");
var idle = await Reads(TimeSpan.FromSeconds(5));
foreach (var (view, measured) in new[] { ("dashboard", idle[0]), ("dependency list (first page of 100)", idle[1]) })
{
    Report($"{view} reads without ingestion p50", measured.P50Ms, "ms");
    Report($"{view} reads without ingestion p99", measured.P99Ms, "ms");
}

var ingesting = Load.Run(32, TimeSpan.FromSeconds(seconds), DeliverBatch);
var reads = await Reads(TimeSpan.FromSeconds(seconds));
var alongside = await ingesting;
foreach (var (view, measured) in new[] { ("dashboard", reads[0]), ("dependency list (first page of 100)", reads[1]) })
{
    Report($"{view} reads during ingestion (2 clients)", measured.RequestsPerSecond, "reads/s");
    Report($"{view} reads during ingestion p50", measured.P50Ms, "ms");
    Report($"{view} reads during ingestion p99", measured.P99Ms, "ms", null, "≤ 25 ms");
}
Report("100-event batches while reads go on", alongside.EventsPerSecond, "events/s", pgbench);
if (StopsAfter("reads"))
{
    service.Dispose();
    Print();
    return 0;
}

// As of an instant, by the size of the transition's history (the usual ~10,000 events, the large ~61,000, the huge ~250,000): each read
// starts from the last checkpoint before its instant. Random instants over the seeded 200 days, and now; p50 of 21 after 3 unmeasured.
Console.WriteLine("As-of dashboards by history size (once the checkpoints are cut)…");
Report("checkpoints caught up after the phases above", (await UntilCheckpointed()).TotalSeconds, "s");
var asOfP50 = new List<double>();
foreach (var (id, _, events) in seeder.Created.GroupBy(t => t.Events / 10_000).Select(g => g.First()).OrderBy(t => t.Events))
{
    var times = new List<double>();
    for (var i = 0; i < 24; i++)
    {
        var instant = i % 8 == 0 ? DateTimeOffset.UtcNow : Seeder.Start.AddHours(Random.Shared.Next(200 * 24));
        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync($"/api/transitions/{id}/dashboard?asOf={Uri.EscapeDataString(instant.ToString("O"))}");
        await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"as-of dashboard answered {(int)response.StatusCode}");
        if (i >= 3) times.Add(watch.Elapsed.TotalMilliseconds);
    }
    asOfP50.Add(times.Order().ElementAt(times.Count / 2));
    Report($"as-of dashboard, transition of {events:N0} events, p50", asOfP50[^1], "ms", null, "≤ 50 ms");
}
Report("as-of dashboard: the largest history's p50 against the smallest's", asOfP50[^1] / asOfP50[0], "×", null, "≤ 2");
Report("service peak RSS", service.PeakRssMb(), "MB", null, "≤ 400 MB");

// Relay discovery: a generated protocol log of realistic shape streamed to the service; its RSS sampled while it reads.
var relayMb = long.Parse(Environment.GetEnvironmentVariable("BENCH_RELAY_MB") ?? "1024");
Console.WriteLine($"Relay discovery from a {relayMb:N0} MB SMTP Receive protocol log…");
var relayTransition = seeder.Created[0].Id;
using (var rss = RssGrowth.Sample(service))
{
    var log = new RelayLog(relayMb << 20);
    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/transitions/{relayTransition}/relay-discovery") { Content = log };
    log.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
    var relayWatch = Stopwatch.StartNew();
    using var relayClient = new HttpClient { BaseAddress = new Uri(service.Url), Timeout = TimeSpan.FromMinutes(30) };
    relayClient.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
    var discovered = await relayClient.SendAsync(request);
    var answer = await Read(discovered);
    var relaySeconds = relayWatch.Elapsed.TotalSeconds;
    var relayGrowth = await rss.Stop();
    if (!discovered.IsSuccessStatusCode) throw new InvalidOperationException($"relay discovery answered {(int)discovered.StatusCode}: {answer}");
    Console.WriteLine($"    {answer["senders"]!.AsArray().Count} senders, {answer["lines"]} lines, {answer["malformed"]} malformed");
    Report("relay discovery: log read", log.Written / 1048576.0 / relaySeconds, "MB/s", null, "≥ 50 MB/s");
    Report("relay discovery: service RSS growth while reading", relayGrowth, "MB", null, $"< 50 MB per GB ({log.Written / 1073741824.0:0.##} GB read)");
}
// Paging and exports: the dependency list's first page on the largest transition, alone; a CSV of 100,000 mailboxes;
// the first portfolio page of a tenant with BENCH_PORTFOLIO (10,000) transitions started over 60 days, live and as of 30 days ago.
Console.WriteLine("Paging and exports…");
var firstPage = await Load.Run(1, TimeSpan.FromSeconds(5), async http =>
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"{service.Url}/api/transitions/{largest}/dependencies?limit=100");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
    using var response = await http.SendAsync(request);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode ? 0 : -1;
});
Report("dependency list, first page of 100, largest transition, alone p50", firstPage.P50Ms, "ms", null, "≤ 10 ms");
Report("dependency list, first page of 100, largest transition, alone p99", firstPage.P99Ms, "ms");

var exportRows = int.Parse(Environment.GetEnvironmentVariable("BENCH_EXPORT_ROWS") ?? "100000");
var exported = (await Read(await client.PostAsync("/api/transitions", Json(new { organisation = "Export Ltd", domains = new[] { "export.example" } }))))["id"]!.GetValue<string>();
for (var i = 0; i < exportRows; i += 5000)
{
    var rows = Enumerable.Range(i, Math.Min(5000, exportRows - i)).Select(n => new { address = $"user{n:D6}@export.example", kind = "user-mailbox" }).ToArray();
    var inventoried = await client.PostAsync($"/api/transitions/{exported}/mailboxes", Json(rows));
    if (!inventoried.IsSuccessStatusCode) throw new InvalidOperationException($"inventory answered {(int)inventoried.StatusCode}");
}
using (var rss = RssGrowth.Sample(service))
{
    var exportWatch = Stopwatch.StartNew();
    using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/transitions/{exported}/mailboxes?format=csv");
    using var csvResponse = await client.SendAsync(csvRequest, HttpCompletionOption.ResponseHeadersRead);
    var counted = new CountingStream();
    await (await csvResponse.Content.ReadAsStreamAsync()).CopyToAsync(counted);
    var exportSeconds = exportWatch.Elapsed.TotalSeconds;
    var exportGrowth = await rss.Stop();
    if (!csvResponse.IsSuccessStatusCode || counted.Lines != exportRows + 1) throw new InvalidOperationException($"the export answered {(int)csvResponse.StatusCode} with {counted.Lines} lines");
    Report($"CSV export of {exportRows:N0} mailboxes", exportSeconds, "s");
    Report($"CSV export of {exportRows:N0} mailboxes: service RSS growth", exportGrowth, "MB", null, $"streamed ({counted.Bytes / 1048576.0:0.#} MB written)");
}

var portfolioSize = int.Parse(Environment.GetEnvironmentVariable("BENCH_PORTFOLIO") ?? "10000");
using (var admin = new HttpClient { BaseAddress = new Uri(service.Url) })
{
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    await admin.PostAsync("/api/tenants", Json(new { id = "portfolio", name = "Portfolio" }));
    var portfolioKey = (await Read(await admin.PostAsync("/api/keys", Json(new { tenant = "portfolio", role = "contributor", name = "bench" }))))["key"]!.GetValue<string>();
    var created = 0;
    await Load.Run(16, TimeSpan.FromMinutes(10), async http =>
    {
        var n = Interlocked.Increment(ref created);
        if (n > portfolioSize) return Load.Exhausted;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{service.Url}/api/transitions")
            { Content = Json(new { organisation = $"Customer {n:D5}", domains = new[] { $"c{n}.example" }, occurredAt = DateTimeOffset.UtcNow.AddDays(-(n % 60)) }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", portfolioKey);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? 1 : -1;
    });
    foreach (var (label, query) in new[] { ("live", ""), ("as of 30 days ago", $"?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O"))}") })
    {
        var page = await Load.Run(1, TimeSpan.FromSeconds(5), async http =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{service.Url}/api/portfolio{query}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", portfolioKey);
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode ? 0 : -1;
        });
        Report($"first portfolio page (100 rows) of {portfolioSize:N0} transitions, {label} p50", page.P50Ms, "ms", null, "≤ 50 ms");
    }
}

var total = await Scalar("select count(*) from cloudtransition.mt_events");
running = null;
service.Dispose();

Console.WriteLine("Rebuilding every projection (bounded to 3 minutes)…");
var rebuild = Stopwatch.StartNew();
var rebuilding = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(root, "src/CloudTransition.Api/bin/Release/net10.0/CloudTransition.Api.dll"), "projections", "rebuild"])
{
    WorkingDirectory = Path.Combine(root, "src/CloudTransition.Api"), RedirectStandardOutput = true, RedirectStandardError = true,
    Environment = { ["ConnectionStrings__Marten"] = connectionString, ["CloudTransition__CodeGeneration"] = "Auto" },
})!;
_ = rebuilding.StandardOutput.ReadToEndAsync();
_ = rebuilding.StandardError.ReadToEndAsync();
var finished = rebuilding.WaitForExit(TimeSpan.FromMinutes(3));
var elapsed = rebuild.Elapsed.TotalSeconds;
// Stopped early: rebuilt as far as the slowest projection got (each keeps its own progress; the fan-out is a subscription, not rebuilt).
var rebuilt = finished ? total : await Scalar("select coalesce(min(last_seq_id), 0) from cloudtransition.mt_event_progression where name like '%:All' and name not like 'Notifications:%'");
if (!finished) rebuilding.Kill(entireProcessTree: true);
Report(finished ? "projection rebuild" : "projection rebuild (stopped after 3 minutes)", rebuilt / elapsed, "events/s", null, "≥ 20,000 events/s");

Print();
return 0;

// The machine is CPU-bound during ingestion, so CPU per event (against pgbench's per row) is what sets the ratios.
void ReportCpu(string phase, CpuTime used, int events)
{
    Report($"{phase}: machine CPU per event", used.Machine * 1000 / events, "ms");
    Report($"{phase}: service CPU per event", used.Process * 1000 / events, "ms");
    Report($"{phase}: PostgreSQL CPU per event", used.Database * 1000 / events, "ms");
    Report($"{phase}: bench CPU per event (clients, receiver)", used.Bench * 1000 / events, "ms");
    Report($"{phase}: service page faults per event", (double)used.ProcessFaults / events, "faults");
    Report($"{phase}: PostgreSQL page faults per event", (double)used.DatabaseFaults / events, "faults");
}

void Print()
{
    var lines = new StringBuilder("\n| figure | value | ratio to raw PostgreSQL | target |\n|---|---|---|---|\n");
    foreach (var r in results)
        lines.Append($"| {r.Figure} | {r.Value:#,0.##} {r.Unit} | {(r.Baseline is { } b ? $"{r.Value / b:0.00} ×" : "")} | {r.Target} |\n");
    Console.WriteLine(lines);
    var dir = Path.Combine(root, ".data/bench");
    Directory.CreateDirectory(dir);
    var file = Path.Combine(dir, $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
    static double? Finite(double value) => double.IsFinite(value) ? value : null; // a phase that measured nothing
    File.WriteAllText(file, JsonSerializer.Serialize(results.Select(r => new { r.Figure, Value = Finite(r.Value), r.Unit, r.Baseline, Ratio = r.Baseline is { } b ? Finite(r.Value / b) : null, r.Target }),
        new JsonSerializerOptions { WriteIndented = true }));
    File.WriteAllText(Path.Combine(dir, "latest.md"), lines.ToString());
    Console.WriteLine($"Written to {file}");
}

// The async view has caught up when its progress has reached the store's high-water mark.
async Task<TimeSpan> UntilCaughtUp()
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < 2400; i++)
    {
        var behind = await Scalar("select coalesce((select last_seq_id from cloudtransition.mt_event_progression where name = 'HighWaterMark'), 1) - " +
                                  $"coalesce((select last_seq_id from cloudtransition.mt_event_progression where name = '{CloudTransition.Api.Views.TransitionViewProjection.Name}:All'), 0)");
        if (behind <= 0) break;
        await Task.Delay(250);
    }
    return watch.Elapsed;
}

async Task<double> Pgbench(int duration)
{
    await Sql("drop table if exists bench_raw; create table bench_raw (id bigserial primary key, data jsonb not null)");
    var script = Path.Combine(Path.GetTempPath(), "ct-pgbench.sql");
    await File.WriteAllTextAsync(script, "insert into bench_raw (data) values ('{\"type\":\"mailbox.moved\",\"transitionId\":\"0199a2b4-5c1d-7e2f-8a3b-4c5d6e7f8a9b\",\"data\":{\"address\":\"ann@abc.com\",\"status\":\"queued\",\"batch\":\"wave-2\"},\"occurredAt\":\"2026-10-01T18:30:00Z\"}');\n");
    var output = await Run(Path.Combine(pgBin, "pgbench"), ["-n", "-c", "32", "-j", "2", "-T", duration.ToString(), "-f", script,
        "-h", database.Host!, "-p", database.Port.ToString(), "-U", database.Username!, "ct_bench"], [], root);
    var tps = output.Split('\n').First(l => l.StartsWith("tps = "));
    return double.Parse(tps.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
}

async Task<double> Copy(int rows)
{
    var file = Path.Combine(Path.GetTempPath(), "ct-copy.tsv");
    await File.WriteAllLinesAsync(file, Enumerable.Range(0, rows).Select(i => $"{{\"type\":\"mailbox.moved\",\"data\":{{\"address\":\"u{i}@abc.com\",\"status\":\"queued\"}}}}"));
    var watch = Stopwatch.StartNew();
    await Run(Path.Combine(pgBin, "psql"), ["-h", database.Host!, "-p", database.Port.ToString(), "-U", database.Username!, "-d", "ct_bench", "-c", $"\\copy bench_raw (data) from '{file}'"], [], root);
    return rows / watch.Elapsed.TotalSeconds;
}

async Task<string> Run(string program, string[] arguments, Dictionary<string, string> environment, string directory)
{
    var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
    foreach (var (name, value) in environment) info.Environment[name] = value;
    using var process = Process.Start(info)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {await errors}");
    return await output;
}

async Task Admin(string sql)
{
    await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
    await connection.OpenAsync();
    await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
}

async Task Sql(string sql)
{
    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    await new NpgsqlCommand(sql, connection) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
}

async Task<long> Scalar(string sql)
{
    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    return Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync());
}

static int Port()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static StringContent Json(object body) => new(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json");

static async Task<JsonNode> Read(HttpResponseMessage response)
{
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
    return JsonNode.Parse(text)!;
}
