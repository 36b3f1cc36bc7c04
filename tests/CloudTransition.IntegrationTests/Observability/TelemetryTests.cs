using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CloudTransition.IntegrationTests.Faults;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Observability;

[Collection(ApiCollection.Name)]
public class DomainMetricsTests(ApiFixture api)
{
    [Fact]
    public async Task appended_events_and_webhook_outcomes_are_counted()
    {
        var measurements = new List<(string Instrument, long Value, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == "CloudTransition") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements) measurements.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        });
        listener.Start();

        var (sender, key, _) = await WebhookSender.ForNewTenant(api);
        var id = await api.StartTransition(key);
        await sender.Send(new { type = "blocker.raised", transitionId = id, data = new { name = "BES", kind = "lob-on-exchange", detail = "on EXCH01" } }, id: "metrics-1");
        await sender.Send(new { type = "blocker.raised", transitionId = id, data = new { name = "BES", kind = "lob-on-exchange", detail = "on EXCH01" } }, id: "metrics-1");
        await sender.SendRaw("{}"u8.ToArray(), signature: "v1,AAAA");

        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Instrument == "cloudtransition.events.appended" && m.Tag == "type=transition_started");
            Assert.Contains(measurements, m => m.Instrument == "cloudtransition.events.appended" && m.Tag == "type=blocker_raised");
            foreach (var outcome in new[] { "accepted", "duplicate", "unauthorized" })
                Assert.Contains(measurements, m => m.Instrument == "cloudtransition.webhook.deliveries" && m.Tag == $"outcome={outcome}");
        }
    }
}

/// <summary>What a real process writes to its logs: structured, correlated, and without any key or secret.</summary>
[Collection(FaultCollection.Name)]
public class LogTests
{
    [Fact]
    public async Task logs_carry_the_correlation_id_and_no_key_or_secret()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi(environment: new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json", ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
        });
        using var api = new LiveApi(process.BaseUrl, harness.AdminKey);
        await harness.Prepare(api);
        var created = await api.Post("/api/keys", new { tenant = harness.Tenant, role = "automation", name = "script" });
        var key = created.Json["key"]!.GetValue<string>();
        await api.Get("/api/transitions", key);
        await api.Get("/api/transitions", key + "tampered");

        var body = Encoding.UTF8.GetBytes($"{{\"type\":\"blocker.raised\",\"transitionId\":\"{harness.TransitionId}\",\"data\":{{\"name\":\"BES\",\"kind\":\"other\",\"detail\":\"d\"}}}}");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var reply = await api.Send("POST", $"/api/webhooks/{harness.Tenant}/automation", body, "", "application/json", new Dictionary<string, string>
        {
            ["webhook-id"] = "log-check-1", ["webhook-timestamp"] = timestamp.ToString(),
            ["webhook-signature"] = WebhookSender.Sign(harness.Secret, "log-check-1", timestamp, body), ["X-Correlation-Id"] = "wave-7-cutover",
        });
        Assert.Equal(200, reply.Status);
        var timeline = (await api.Get($"/api/transitions/{harness.TransitionId}/timeline", harness.TenantKey)).Json["items"]!.AsArray();
        Assert.Equal("wave-7-cutover", timeline.Last()!["correlationId"]!.GetValue<string>());

        var log = "";
        bool Logged(string text) => text.Split('\n').Any(line => line.Contains("\"CorrelationId\":\"wave-7-cutover\"") && line.Contains("log-check-1"));
        for (var attempt = 0; attempt < 50 && !Logged(log); attempt++)
        {
            await Task.Delay(100); // the process's console output reaches the log file asynchronously
            log = await File.ReadAllTextAsync(process.LogPath);
        }
        Assert.True(Logged(log), "no log line of the delivery carries its correlation id");
        foreach (var secret in new[] { harness.AdminKey, harness.TenantKey, key, harness.Secret, harness.Secret["whsec_".Length..] })
            Assert.DoesNotContain(secret, log);
    }
}

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, the service (a real process) exports traces and metrics over OTLP/HTTP;
/// a loopback listener stands in for the collector and keeps what arrives.
/// </summary>
[Collection(FaultCollection.Name)]
public class TelemetryExportTests
{
    [Fact]
    public async Task traces_and_metrics_reach_the_otlp_endpoint()
    {
        var port = ApiProcess.FreePort();
        using var collector = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        collector.Start();
        var received = new ConcurrentDictionary<string, string>();
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                try
                {
                    var context = await collector.GetContextAsync();
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    // Protobuf keeps strings as UTF-8 bytes: reading the body as text is enough to find names in it.
                    var text = Encoding.UTF8.GetString(body.ToArray());
                    received.AddOrUpdate(context.Request.Url!.AbsolutePath, text, (_, before) => before + text);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });

        await using var harness = await FaultHarness.Create();
        await using var api = await harness.StartApi(environment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", harness.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{api.BaseUrl}/api/portfolio")).StatusCode);

        for (var attempt = 0; attempt < 100 && !(Has("/v1/traces", "/api/portfolio") && Has("/v1/metrics", "http.server.request.duration")); attempt++)
            await Task.Delay(100);
        Assert.True(Has("/v1/traces", "cloudtransition-api") && Has("/v1/traces", "/api/portfolio"), $"no trace of the request arrived; paths: {string.Join(", ", received.Keys)}");
        Assert.True(Has("/v1/metrics", "http.server.request.duration"), $"no request metrics arrived; paths: {string.Join(", ", received.Keys)}");

        bool Has(string path, string text) => received.TryGetValue(path, out var body) && body.Contains(text, StringComparison.Ordinal);
    }
}
