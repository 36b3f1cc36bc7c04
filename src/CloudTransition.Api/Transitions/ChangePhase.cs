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
    public static Decision Decide(Transition? transition, ChangePhase r, string id, DateTimeOffset at)
    {
        if (transition is null) return Refusal.NoTransition(id);
        if (r.ExpectedVersion is { } expected && expected != transition.Version)
            return new Refusal.Conflict($"The transition is at version {transition.Version}, not {expected}. Read it again.");
        var to = r.Phase!.Value;
        if (to == transition.Phase) return Decision.Nothing;
        if (PhaseRules.Refusal(transition.Phase, to, r.Reason) is { } refusal) return new Refusal.Unprocessable(refusal);
        return Decision.Accept(new TransitionPhaseChanged(id, transition.Phase, to, r.Reason, at));
    }

    /// <summary>Runs the decision on the transition's stream; answers the phase and version after it.</summary>
    public static async Task<Outcome<PhaseAnswer>> Handle(string id, ChangePhase r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Transition>(TransitionStreams.Transition(id));
        var decision = Decide(stream.Aggregate, r, id, r.At(time));
        if (decision.Refusal is { } refusal) return refusal;
        stream.AppendMany(decision.Events);
        var transition = stream.Aggregate!;
        return new Outcome<PhaseAnswer>(new PhaseAnswer(id, r.Phase!.Value, transition.Version + decision.Events.Count), null, decision.Events.Count);
    }

    [Tags("Transitions")]
    [RequestExample("""{"phase":"pilot","expectedVersion":3}""")]
    [WolverinePost("/api/transitions/{id}/phase", OperationId = "changePhase", Summary = "Move a transition to another phase",
        Description = "Phases go assessment → proof-of-concept → pilot → migration → decommission → completed. " +
                      "Going back needs a `reason` (else 422). The same phase again answers 200 and records nothing.")]
    public static async Task<Results<Ok<PhaseAnswer>, ProblemHttpResult>> Post(string id, ChangePhase request, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, request, session, time)).Answer(TypedResults.Ok);
}
