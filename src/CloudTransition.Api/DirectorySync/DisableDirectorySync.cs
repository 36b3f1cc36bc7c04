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
    /// <summary>Off already (or never on): nothing to record.</summary>
    public static Decision Decide(DirectorySyncState? state, string id, DateTimeOffset at) =>
        state is { Enabled: true } ? Decision.Accept(new DirectorySyncDisabled(id, at)) : Decision.Nothing;

    public static async Task<Outcome<DirectorySyncState>> Handle(string id, DisableDirectorySync r, IDocumentSession session, TimeProvider time)
    {
        if (r.OccurredAt > time.GetUtcNow() + Reported.FutureTolerance) return Refusal.Invalid.Field("occurredAt", "occurredAt is more than five minutes in the future.");
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var stream = await session.Events.FetchForWriting<DirectorySyncState>(DirectorySyncState.Key(id));
        var outcome = stream.Apply(Decide(stream.Aggregate, id, r.At(time)), DirectorySyncState.Fold);
        return outcome with { State = outcome.State ?? DirectorySyncState.Off(id) };
    }

    [Tags("Directory sync")]
    [WolverineDelete("/api/transitions/{id}/directory-sync", OperationId = "disableDirectorySync", Summary = "Record that directory sync is off",
        Description = "`occurredAt` may be given in the query string. Disabling sync that is not on answers 200 and records nothing.")]
    public static async Task<Results<Ok<DirectorySyncAnswer>, ProblemHttpResult>> Delete(string id, DateTimeOffset? occurredAt, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, new DisableDirectorySync(occurredAt), session, time)).Answer(s => TypedResults.Ok(DirectorySyncAnswer.Of(s)));
}
