using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Blockers;

/// <param name="Name">e.g. `BlackBerry Enterprise Server`.</param>
/// <param name="Kind">lob-on-exchange (an application installed on an Exchange server) or other.</param>
/// <param name="Detail">Why it blocks the move.</param>
/// <param name="OccurredAt">When it was found; defaults to now.</param>
public record RaiseBlocker(string? Name, BlockerKind? Kind, string? Detail, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RaiseBlocker>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Kind).NotNull();
            RuleFor(x => x.Detail).NotEmpty().MaximumLength(4000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class RaiseBlockerEndpoint
{
    public static Decision Decide(RaiseBlocker r, string id, string blockerId, DateTimeOffset at) =>
        Decision.Accept(new BlockerRaised(id, blockerId, r.Name!.Trim(), r.Kind!.Value, r.Detail!.Trim(), at));

    public static async Task<Outcome<Blocker>> Handle(string id, RaiseBlocker r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var blockerId = TransitionChecks.NewItemId();
        return session.StartWith<Blocker>(Blocker.Key(id, blockerId), Decide(r, id, blockerId, r.At(time)), Blocker.Fold);
    }

    [Tags("Blockers")]
    [RequestExample("""{"name":"BlackBerry Enterprise Server","kind":"lob-on-exchange","detail":"Installed on EXCH01"}""")]
    [WolverinePost("/api/transitions/{id}/blockers", OperationId = "raiseBlocker", Summary = "Record a blocker",
        Description = "E.g. a line-of-business application that must be installed on an Exchange server (BlackBerry Enterprise Server). It keeps Exchange on-premises until resolved.")]
    public static async Task<Results<Created<BlockerAnswer>, ProblemHttpResult>> Post(string id, RaiseBlocker r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, r, session, time)).Answer(b => TypedResults.Created($"/api/transitions/{id}/blockers/{b.BlockerId}", BlockerAnswer.Of(b)));
}
