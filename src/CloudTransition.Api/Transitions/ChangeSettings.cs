using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

/// <param name="StallAfterHours">After how many hours without progress a syncing move counts as stalled (1–720; default 24).</param>
/// <param name="OccurredAt">When the setting changed; defaults to now.</param>
public record ChangeSettings(int? StallAfterHours, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<ChangeSettings>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.StallAfterHours).NotNull().InclusiveBetween(1, 720);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <param name="TransitionId">The transition.</param>
/// <param name="StallAfterHours">After how many hours without progress a syncing move counts as stalled.</param>
public record SettingsAnswer(string TransitionId, int StallAfterHours);

public static class ChangeSettingsEndpoint
{
    public static Decision Decide(Transition? transition, ChangeSettings r, string id, DateTimeOffset at)
    {
        if (transition is null) return Refusal.NoTransition(id);
        if (r.StallAfterHours == transition.Settings.StallAfterHours) return Decision.Nothing;
        return Decision.Accept(new TransitionSettingsChanged(id, r.StallAfterHours!.Value, at));
    }

    public static async Task<Outcome<Transition>> Handle(string id, ChangeSettings r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Transition>(TransitionStreams.Transition(id));
        var decision = Decide(stream.Aggregate, r, id, r.At(time));
        if (decision.Refusal is { } refusal) return refusal;
        stream.AppendMany(decision.Events);
        foreach (var e in decision.Events.OfType<TransitionSettingsChanged>()) stream.Aggregate!.Apply(e);
        return new Outcome<Transition>(stream.Aggregate, null, decision.Events.Count);
    }

    [Tags("Transitions")]
    [RequestExample("""{"stallAfterHours":48}""")]
    [WolverinePut("/api/transitions/{id}/settings", OperationId = "changeSettings", Summary = "Change a transition's settings",
        Description = "`stallAfterHours`: a syncing move whose percent has not grown for this long is stalled (default 24). Recorded in the history, " +
                      "so an as-of read judges stalls by the setting in force then. The value it already has answers 200 and records nothing.")]
    public static async Task<Results<Ok<SettingsAnswer>, ProblemHttpResult>> Put(string id, ChangeSettings request, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, request, session, time)).Answer(t => TypedResults.Ok(new SettingsAnswer(id, t.Settings.StallAfterHours)));

    [Tags("Transitions")]
    [WolverineGet("/api/transitions/{id}/settings", OperationId = "getSettings", Summary = "A transition's settings",
        Description = "`stallAfterHours`: after how many hours without progress a syncing move is stalled (default 24).")]
    public static async Task<Results<Ok<SettingsAnswer>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        await session.LoadAsync<Transition>(id) is { } t ? TypedResults.Ok(new SettingsAnswer(id, t.Settings.StallAfterHours)) : Problem.TransitionNotFound(id);
}
