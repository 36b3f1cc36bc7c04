using Npgsql;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>A fresh PostgreSQL database on the cluster deploy/dev.sh started, dropped when the tests end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Server = Environment.GetEnvironmentVariable("ConnectionStrings__Marten")
        ?? throw new InvalidOperationException("ConnectionStrings__Marten is not set: run the tests through deploy/dev.sh test");

    public string Name { get; } = "ct_test_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = Name }.ConnectionString;

    /// <param name="options">What follows `create database name`, e.g. a collation.</param>
    public static async Task<TestDatabase> Create(string options = "")
    {
        var database = new TestDatabase();
        await Admin($"create database {database.Name} {options}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Admin($"drop database if exists {Name} with (force)");
    }

    public static async Task Admin(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The key-encryption certificate every test host shares (created once, like deploy/dev.sh does).</summary>
    public static string KeyEncryptionCertificate()
    {
        var path = Path.Combine(RepositoryRoot(), ".data/dataprotection-kek.pfx");
        if (!File.Exists(path)) CloudTransition.Api.Hosting.KeyEncryptionCertificates.CreateSelfSigned(path, null);
        return path;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudTransition.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CloudTransition.sln not found above the test binaries");
    }
}
