using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

/// <param name="Phase">The phase to enter.</param>
/// <param name="Reason">Required to step back to an earlier phase.</param>
/// <param name="ExpectedVersion">The transition's version as last read; a stale one answers 409.</param>
/// <param name="OccurredAt">When the phase changed; defaults to now.</param>
public record ChangePhase(TransitionPhase? Phase, string? Reason, int? ExpectedVersion, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<ChangePhase>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Phase).NotNull();
            RuleFor(x => x.Reason).MaximumLength(2000);
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <summary>Phases only move forward; going back is a deliberate act that needs a reason.</summary>
public static class PhaseRules
{
    public static string? Refusal(TransitionPhase from, TransitionPhase to, string? reason) =>
        to < from && string.IsNullOrWhiteSpace(reason)
            ? $"Stepping back from {Kebab.Name(from)} to {Kebab.Name(to)} needs a reason."
            : null;
}

public record PhaseAnswer(string Id, TransitionPhase Phase, long Version);

public static class ChangePhaseEndpoint
{
    [Tags("Transitions")]
    [WolverinePost("/api/transitions/{id}/phase", OperationId = "changePhase", Summary = "Move a transition to another phase",
        Description = "Phases go assessment → proof-of-concept → pilot → migration → decommission → completed. " +
                      "Going back needs a `reason` (else 422). The same phase again answers 200 and records nothing.")]
    public static async Task<Results<Ok<PhaseAnswer>, ProblemHttpResult>> Post(string id, ChangePhase request, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Transition>(TransitionStreams.Transition(id));
        if (stream.Aggregate is not { } transition) return Problem.TransitionNotFound(id);
        // The version of the state we decide on (not the stream's, read apart from it, which a concurrent change may have passed).
        if (request.ExpectedVersion is { } expected && expected != transition.Version)
            return Problem.Conflict($"The transition is at version {transition.Version}, not {expected}. Read it again.");

        var to = request.Phase!.Value;
        if (to == transition.Phase) return TypedResults.Ok(new PhaseAnswer(id, to, transition.Version));
        if (PhaseRules.Refusal(transition.Phase, to, request.Reason) is { } refusal) return Problem.Unprocessable(refusal);

        stream.AppendOne(new TransitionPhaseChanged(id, transition.Phase, to, request.Reason, request.At(time)));
        return TypedResults.Ok(new PhaseAnswer(id, to, transition.Version + 1));
    }
}
