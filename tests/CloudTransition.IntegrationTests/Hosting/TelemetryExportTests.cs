using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CloudTransition.IntegrationTests.Faults;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.Hosting;

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

        await using var database = await TestDatabase.Create();
        var adminKey = "ct_test_admin_" + Guid.NewGuid().ToString("N");
        await using var api = await ApiProcess.Start(database.ConnectionString, adminKey, environment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{api.BaseUrl}/api/portfolio")).StatusCode);

        for (var attempt = 0; attempt < 100 && !(Has("/v1/traces", "/api/portfolio") && Has("/v1/metrics", "http.server.request.duration")); attempt++)
            await Task.Delay(100);
        Assert.True(Has("/v1/traces", "cloudtransition-api") && Has("/v1/traces", "/api/portfolio"), $"no trace of the request arrived; paths: {string.Join(", ", received.Keys)}");
        Assert.True(Has("/v1/metrics", "http.server.request.duration"), $"no request metrics arrived; paths: {string.Join(", ", received.Keys)}");

        bool Has(string path, string text) => received.TryGetValue(path, out var body) && body.Contains(text, StringComparison.Ordinal);
    }
}
