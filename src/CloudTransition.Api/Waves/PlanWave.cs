using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views.Waves;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Waves;

/// <param name="Name">Unique in the transition, in any case, e.g. `Wave 2 — Finance`; a move reported with this `batch` joins the wave.</param>
/// <param name="PlannedStart">When its first moves are planned to start.</param>
/// <param name="PlannedCompletion">When all its mailboxes are planned to be completed; after `plannedStart`.</param>
/// <param name="Description">Who is in it and why (department, licence, delegates who share mailboxes).</param>
/// <param name="OccurredAt">When it was planned; defaults to now.</param>
public record PlanWave(string? Name, DateTimeOffset? PlannedStart, DateTimeOffset? PlannedCompletion, string? Description, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<PlanWave>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.PlannedStart).NotNull();
            RuleFor(x => x.PlannedCompletion).NotNull().GreaterThan(x => x.PlannedStart).When(x => x.PlannedStart is not null)
                .WithMessage("plannedCompletion must be after plannedStart.");
            RuleFor(x => x.Description).MaximumLength(4000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class PlanWaveEndpoint
{
    public static Decision Decide(Wave? sameName, PlanWave r, string id, string waveId, DateTimeOffset at) => sameName is { } taken
        ? new Refusal.Conflict($"Transition '{id}' already has a wave named '{taken.Name}'.", Extensions: new Dictionary<string, object?> { ["waveId"] = taken.WaveId })
        : Decision.Accept(new WavePlanned(id, waveId, r.Name!.Trim(), r.PlannedStart!.Value, r.PlannedCompletion!.Value, r.Description, at));

    public static async Task<Outcome<Wave>> Handle(string id, PlanWave r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var waveId = TransitionChecks.NewItemId();
        return session.StartWith<Wave>(Wave.StreamKey(id, waveId), Decide(await session.WaveNamed(id, r.Name!), r, id, waveId, r.At(time)), Wave.Fold);
    }

    [Tags("Waves")]
    [RequestExample("""{"name":"Wave 2 — Finance","plannedStart":"2026-11-02T18:00:00Z","plannedCompletion":"2026-11-13T18:00:00Z","description":"Finance and their delegates"}""")]
    [WolverinePost("/api/transitions/{id}/waves", OperationId = "planWave", Summary = "Plan a migration wave",
        Description = "A named group of mailboxes with a planned start and completion. A name the transition already has (in any case) answers 409 " +
                      "with the existing `waveId`. Assign mailboxes with `POST /waves/{waveId}/mailboxes`, or report moves with `batch` equal to its name.")]
    public static async Task<Results<Created<WaveView>, ProblemHttpResult>> Post(string id, PlanWave r, IDocumentSession session, TimeProvider time)
    {
        var outcome = await Handle(id, r, session, time);
        if (outcome.Refusal is { } refusal) return refusal.Problem();
        var wave = outcome.State!;
        return TypedResults.Created($"/api/transitions/{id}/waves/{wave.WaveId}", await WaveReads.Answer(session, id, wave, time));
    }
}
