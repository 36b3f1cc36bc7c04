using Npgsql;

namespace CloudTransition.Bench;

/// <summary>
/// What PostgreSQL spent its time on during a phase, statement by statement, when the cluster has pg_stat_statements loaded
/// (start it with <c>PG_SETTINGS="… -c shared_preload_libraries=pg_stat_statements"</c>): printed, not reported, because it
/// explains the figures rather than being one.
/// </summary>
public static class Statements
{
    /// <summary>Starts the count afresh; false when the cluster does not keep statement statistics.</summary>
    public static async Task<bool> Reset(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()", connection).ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    /// <summary>The statements that took the most time since <see cref="Reset"/>, per event of the phase.</summary>
    public static async Task Print(string connectionString, long events, int top = 15)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var reader = await new NpgsqlCommand(
            "select calls, total_exec_time, rows, regexp_replace(query, '\\s+', ' ', 'g') from pg_stat_statements " +
            "where query not like '%pg_stat_statements%' order by total_exec_time desc limit " + top, connection).ExecuteReaderAsync();
        Console.WriteLine($"    {"µs/event",9} {"calls/event",11} {"µs/call",8} {"rows/call",9}  statement");
        while (await reader.ReadAsync())
        {
            var (calls, totalMs, rows, query) = (reader.GetInt64(0), reader.GetDouble(1), reader.GetInt64(2), reader.GetString(3));
            Console.WriteLine($"    {totalMs * 1000 / events,9:0.0} {(double)calls / events,11:0.000} {totalMs * 1000 / calls,8:0.0} {(double)rows / calls,9:0.0}  {query[..Math.Min(query.Length, 140)]}");
        }
    }
}
