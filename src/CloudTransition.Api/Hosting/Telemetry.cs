using CloudTransition.Api.Common;
using System.Diagnostics.Metrics;
using JasperFx.Events;
using Marten;
using Marten.Services;
using OpenTelemetry;
using JasperFx.Events.Projections;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics for ASP.NET Core, Npgsql, Marten and Wolverine, exported over OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set; plus the domain's own metrics.
/// </summary>
public static class Telemetry
{
    public const string MeterName = Metrics.MeterName;
    public static readonly Meter Meter = Metrics.Meter;
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>("cloudtransition.events.appended", "{event}", "Events appended, by type");
    private static long _projectionLag;

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        Meter.CreateObservableGauge("cloudtransition.projection.lag", () => Interlocked.Read(ref _projectionLag), "{event}",
            "Events appended but not yet applied by the slowest async projection");
        builder.Services.AddHostedService<ProjectionLagSampler>();

        // Without an exporter the SDK would still create (and drop) a span for every request and SQL command: measurably
        // slower under load. The meters stay readable by dotnet-counters either way.
        if (string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cloudtransition-api"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddNpgsql().AddSource("Wolverine", "Marten"))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter(MeterName, "Wolverine", "Marten", "Npgsql"))
            .UseOtlpExporter();
    }

    public static void ReportLag(long lag) => Interlocked.Exchange(ref _projectionLag, lag);
}

/// <summary>Counts committed events by type (after commit, so rolled-back deliveries are not counted).</summary>
public class EventMetrics : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var e in commit.GetEvents())
            Telemetry.EventsAppended.Add(1, new KeyValuePair<string, object?>("type", e.EventTypeName));
        return Task.CompletedTask;
    }
}

/// <summary>Samples how far the slowest async projection is behind the event store's high-water mark.</summary>
public class ProjectionLagSampler(IDocumentStore store, ILogger<ProjectionLagSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var progress = await store.Advanced.AllProjectionProgress(token: stop);
                var highWater = progress.FirstOrDefault(p => p.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;
                var slowest = progress.Where(p => p.ShardName != ShardState.HighWaterMark).Select(p => p.Sequence).DefaultIfEmpty(highWater).Min();
                Telemetry.ReportLag(Math.Max(0, highWater - slowest));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogDebug("Projection lag not sampled: {Reason}", e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(15), stop).ContinueWith(_ => { });
        }
    }
}
