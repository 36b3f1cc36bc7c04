using Npgsql;

namespace CloudTransition.Api.Common;

/// <summary>
/// A PostgreSQL advisory lock held on one connection while a background job runs, so that one node runs it at a time. Released
/// explicitly: pooled connections keep their session, so a lock left on one would stay with it.
/// </summary>
public static class AdvisoryLock
{
    public static async Task<bool> Take(NpgsqlConnection connection, long key, CancellationToken ct) =>
        await Call(connection, "pg_try_advisory_lock", key, ct) is true;

    public static Task Release(NpgsqlConnection connection, long key) => Call(connection, "pg_advisory_unlock", key, CancellationToken.None);

    private static async Task<object?> Call(NpgsqlConnection connection, string function, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {function}($1)", connection) { Parameters = { new() { Value = key } } };
        return await command.ExecuteScalarAsync(ct);
    }
}
