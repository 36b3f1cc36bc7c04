using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Marten.Services;
using Npgsql;

namespace CloudTransition.Api.Hosting;

/// <summary>What the service answers with 409 because another write got there first: expected under contention, not a failure.</summary>
public static class ExpectedConflicts
{
    /// <summary>Raised by Marten's quick-append function when the stream moved past the version the append expected.</summary>
    private const string StreamVersionMismatch = "MT003";

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException or JasperFx.Events.ExistingStreamIdCollisionException
                    or Marten.Exceptions.ExistingStreamIdCollisionException or DocumentAlreadyExistsException
                    or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or StreamVersionMismatch })
                return true;
        return false;
    }
}

/// <summary>
/// Marten's default logger writes every failed command as an error with its stack: under contention (32 clients moving
/// one mailbox) that was 3 `fail:` entries per refused request for what is a documented 409. Conflicts get one
/// information line; anything else is still an error with its exception.
/// </summary>
public class StoreLogger(ILogger<IDocumentStore> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Schema change: {Sql}", sql);

    public void LogSuccess(NpgsqlCommand command) => logger.LogDebug("Executed {Sql}", command.CommandText);

    public void LogSuccess(NpgsqlBatch batch) => logger.LogDebug("Executed a batch of {Count} commands", batch.BatchCommands.Count);

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex, string.Join(";\n", batch.BatchCommands.Select(static (NpgsqlBatchCommand c) => c.CommandText)));

    public void LogFailure(Exception ex, string message) => Failed(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private void Failed(Exception ex, string what)
    {
        if (ExpectedConflicts.Is(ex)) logger.LogInformation("A concurrent write got there first ({Reason}); answered 409", ex.Message.Split('\n')[0]);
        else logger.LogError(ex, "Marten encountered an exception executing {Sql}", what);
    }
}
