using Alba;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>
/// One API host for the whole run, on its own fresh PostgreSQL database (dropped afterwards), so runs
/// never collide. Tests isolate themselves by creating their own transitions and tenants.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    public string AdminKey { get; } = "ct_test_admin_" + Guid.NewGuid().ToString("N");
    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    public string ConnectionString { get; private set; } = "";
    private string _database = "";

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
            ?? throw new InvalidOperationException("ConnectionStrings__Marten is not set: run the tests through deploy/dev.sh test");
        _database = "ct_test_" + Guid.NewGuid().ToString("N")[..12];
        await Admin(server, $"create database {_database}");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString;

        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", ConnectionString);
        Environment.SetEnvironmentVariable("CLOUDTRANSITION_ADMIN_KEY", AdminKey);
        Host = await AlbaHost.For<Program>(x => x.ConfigureTestServices(s =>
        {
            s.DisableAllExternalWolverineTransports();
            s.RunWolverineInSoloMode();
            s.AddSingleton<TimeProvider>(Clock);
        }));
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", server);
    }

    /// <summary>Waits until the async projections have applied every event appended so far.</summary>
    public Task ViewsCaughtUp() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__Marten")!;
        await Admin(server, $"drop database if exists {_database} with (force)");
    }

    private static async Task Admin(string connectionString, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
