using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Blockers;

/// <param name="Resolution">How it was cleared, e.g. `moved to BES12 with Office 365 support`.</param>
/// <param name="OccurredAt">When it was resolved; defaults to now.</param>
public record ResolveBlocker(string? Resolution, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<ResolveBlocker>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Resolution).NotEmpty().MaximumLength(4000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class ResolveBlockerEndpoint
{
    public static Decision Decide(Blocker? blocker, ResolveBlocker r, string id, string blockerId, DateTimeOffset at) => blocker switch
    {
        null => new Refusal.NotFound($"No blocker '{blockerId}' in transition '{id}'."),
        { Open: false } => Decision.Nothing,
        _ when at < blocker.RaisedAt => new Refusal.Conflict("A blocker cannot be resolved before it was raised."),
        _ => Decision.Accept(new BlockerResolved(id, blockerId, r.Resolution!.Trim(), at)),
    };

    public static async Task<Outcome<Blocker>> Handle(string id, string blockerId, ResolveBlocker r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Blocker>(Blocker.Key(id, blockerId));
        return stream.Apply(Decide(stream.Aggregate, r, id, blockerId, r.At(time)), Blocker.Fold);
    }

    [Tags("Blockers")]
    [RequestExample("""{"resolution":"Moved to BES12 with Office 365 support"}""")]
    [WolverinePost("/api/transitions/{id}/blockers/{blockerId}/resolve", OperationId = "resolveBlocker", Summary = "Resolve a blocker",
        Description = "Resolving an already resolved blocker answers 200 and records nothing.")]
    public static async Task<Results<Ok<BlockerAnswer>, ProblemHttpResult>> Post(string id, string blockerId, ResolveBlocker r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, blockerId, r, session, time)).Answer(b => TypedResults.Ok(BlockerAnswer.Of(b)));
}
