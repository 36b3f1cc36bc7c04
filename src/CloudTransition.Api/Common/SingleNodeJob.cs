using Marten;
using Npgsql;

namespace CloudTransition.Api.Common;

/// <summary>
/// A background job run at once and then every interval, on one node at a time: it holds a PostgreSQL advisory lock while it runs
/// (<see cref="AdvisoryLock"/>), so replicas take turns rather than doing the work twice. A failed run is logged and tried again next time.
/// </summary>
public abstract class SingleNodeJob(IDocumentStore store, ILogger log) : BackgroundService
{
    protected IDocumentStore Store { get; } = store;
    protected ILogger Log { get; } = log;

    protected abstract long LockKey { get; }
    protected abstract TimeSpan Interval { get; }

    /// <summary>One run, with the lock held on <paramref name="connection"/> (which the run may use).</summary>
    protected abstract Task Run(NpgsqlConnection connection, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try { await RunOnce(stop); }
                catch (Exception e) when (!stop.IsCancellationRequested) { Log.LogWarning(e, "{Job} failed; trying again at the next interval", GetType().Name); }
            } while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) { }
    }

    private async Task RunOnce(CancellationToken ct)
    {
        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!await AdvisoryLock.Take(connection, LockKey, ct)) return;
        try { await Run(connection, ct); }
        finally { await AdvisoryLock.Release(connection, LockKey); }
    }
}
