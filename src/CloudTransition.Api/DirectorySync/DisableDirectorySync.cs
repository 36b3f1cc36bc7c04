using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.DirectorySync;

/// <param name="OccurredAt">When it was switched off; defaults to now.</param>
public record DisableDirectorySync(DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : FluentValidation.AbstractValidator<DisableDirectorySync>
    {
        public Validator(TimeProvider time) => this.OccurredAtIsNotInTheFuture(time);
    }
}

public static class DisableDirectorySyncEndpoint
{
    [Tags("Directory sync")]
    [WolverineDelete("/api/transitions/{id}/directory-sync", OperationId = "disableDirectorySync", Summary = "Record that directory sync is off",
        Description = "`occurredAt` may be given in the query string. Disabling sync that is not on answers 200 and records nothing.")]
    public static async Task<Results<Ok<DirectorySyncAnswer>, ProblemHttpResult>> Delete(
        string id, DateTimeOffset? occurredAt, IDocumentSession session, TimeProvider time)
    {
        if (occurredAt > time.GetUtcNow() + Reported.FutureTolerance) return Problem.Invalid("occurredAt", "occurredAt is more than five minutes in the future.");
        if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);
        var stream = await session.Events.FetchForWriting<DirectorySyncState>(DirectorySyncState.Key(id));
        if (stream.Aggregate is not { Enabled: true } current) return TypedResults.Ok(DirectorySyncAnswer.Of(stream.Aggregate ?? DirectorySyncState.Off(id)));

        var e = new DirectorySyncDisabled(id, occurredAt ?? time.GetUtcNow());
        stream.AppendOne(e);
        return TypedResults.Ok(DirectorySyncAnswer.Of(current.Then(e, DirectorySyncState.Fold)));
    }

    [Tags("Directory sync")]
    [WolverineGet("/api/transitions/{id}/directory-sync", OperationId = "getDirectorySync", Summary = "Is directory sync on?",
        Description = "Whether directory sync is on, with the tool and server; while it is, on-prem AD and the sync server are dependencies.")]
    public static async Task<Results<Ok<DirectorySyncAnswer>, ProblemHttpResult>> Get(string id, IQuerySession session)
    {
        if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);
        return TypedResults.Ok(DirectorySyncAnswer.Of(await session.LoadAsync<DirectorySyncState>(DirectorySyncState.Key(id)) ?? DirectorySyncState.Off(id)));
    }
}
