using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CloudTransition.Api.Hosting;

public static class Health
{
    public static void AddHealth(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<PostgresReachable>("postgresql", tags: ["ready"]);

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
    }
}

/// <summary>Ready means the event store answers within two seconds.</summary>
public class PostgresReachable(IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Marten")) { Timeout = 2, CommandTimeout = 2, Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer");
        }
    }
}
