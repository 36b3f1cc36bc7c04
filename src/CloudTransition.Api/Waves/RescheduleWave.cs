using CloudTransition.Api.Common;
using CloudTransition.Api.Views.Waves;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Waves;

/// <param name="PlannedStart">The new planned start; defaults to the current one.</param>
/// <param name="PlannedCompletion">The new planned completion; after the planned start.</param>
/// <param name="Reason">Why the plan changed (kept in the history: the dashboard shows slips).</param>
/// <param name="OccurredAt">When it was rescheduled; defaults to now.</param>
public record RescheduleWave(DateTimeOffset? PlannedStart, DateTimeOffset? PlannedCompletion, string? Reason, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RescheduleWave>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.PlannedCompletion).NotNull();
            RuleFor(x => x.PlannedCompletion).GreaterThan(x => x.PlannedStart).When(x => x.PlannedStart is not null && x.PlannedCompletion is not null)
                .WithMessage("plannedCompletion must be after plannedStart.");
            RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class RescheduleWaveEndpoint
{
    public static Decision Decide(Wave? wave, RescheduleWave r, string id, string waveId, DateTimeOffset at)
    {
        if (wave is null) return new Refusal.NotFound($"No wave '{waveId}' in transition '{id}'.");
        if (at < wave.Current.At)
            return new Refusal.Conflict($"The wave's schedule was last set at {wave.Current.At:u}; a reschedule must come after the plan it changes.");
        var start = r.PlannedStart ?? wave.Current.PlannedStart;
        if (r.PlannedCompletion <= start)
            return Refusal.Invalid.Field("plannedCompletion", $"plannedCompletion must be after the planned start ({start:u}).");
        if (start == wave.Current.PlannedStart && r.PlannedCompletion == wave.Current.PlannedCompletion) return Decision.Nothing;
        return Decision.Accept(new WaveRescheduled(id, wave.WaveId, start, r.PlannedCompletion!.Value, r.Reason!.Trim(), at));
    }

    public static async Task<Outcome<Wave>> Handle(string id, string waveId, RescheduleWave r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.StreamForWriting<Wave>(Wave.StreamKey(id, waveId));
        return stream.Apply(Decide(stream.Aggregate, r, id, waveId, r.At(time)), Wave.Fold);
    }

    [Tags("Waves")]
    [RequestExample("""{"plannedCompletion":"2026-11-20T18:00:00Z","reason":"Finance asked to wait until after the month-end close"}""")]
    [WolverinePost("/api/transitions/{id}/waves/{waveId}/reschedule", OperationId = "rescheduleWave", Summary = "Reschedule a wave, with a reason",
        Description = "The new schedule holds from now on; the old one stays in the wave's `reschedules` with the reason and the slip in days. " +
                      "The schedule it already has answers 200 and records nothing.")]
    public static async Task<Results<Ok<WaveView>, ProblemHttpResult>> Post(string id, string waveId, RescheduleWave r, IDocumentSession session, TimeProvider time)
    {
        var outcome = await Handle(id, waveId, r, session, time);
        return outcome.Refusal is { } refusal ? refusal.Problem() : TypedResults.Ok(await WaveReads.Answer(session, id, outcome.State!, time));
    }
}
