using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

/// <param name="StallAfterHours">After how many hours without progress a syncing move counts as stalled (1–720; default 24).</param>
/// <param name="RejectDirectSend">Whether the tenant rejects direct send (`Set-OrganizationConfig -RejectDirectSend $true`): then it is no method for a device.</param>
/// <param name="SmtpBasicAuthReenabled">Whether the tenant's admin turned SMTP AUTH Basic authentication back on after Microsoft turned it off by default (end of December 2026).</param>
/// <param name="OccurredAt">When the settings changed; defaults to now.</param>
public record ChangeSettings(int? StallAfterHours, DateTimeOffset? OccurredAt, bool? RejectDirectSend = null, bool? SmtpBasicAuthReenabled = null) : IReported
{
    public class Validator : AbstractValidator<ChangeSettings>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.StallAfterHours).InclusiveBetween(1, 720);
            RuleFor(x => x).Must(x => x.StallAfterHours is not null || x.RejectDirectSend is not null || x.SmtpBasicAuthReenabled is not null)
                .OverridePropertyName("body").WithMessage("Name at least one setting: stallAfterHours, rejectDirectSend or smtpBasicAuthReenabled.");
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <param name="TransitionId">The transition.</param>
/// <param name="StallAfterHours">After how many hours without progress a syncing move counts as stalled.</param>
/// <param name="RejectDirectSend">Whether the tenant rejects direct send.</param>
/// <param name="SmtpBasicAuthReenabled">Whether the tenant turned SMTP AUTH Basic authentication back on.</param>
public record SettingsAnswer(string TransitionId, int StallAfterHours, bool RejectDirectSend, bool SmtpBasicAuthReenabled)
{
    public static SettingsAnswer Of(string id, TransitionSettings s) => new(id, s.StallAfterHours, s.RejectDirectSend, s.SmtpBasicAuthReenabled);
}

public static class ChangeSettingsEndpoint
{
    public static Decision Decide(Transition? transition, ChangeSettings r, string id, DateTimeOffset at)
    {
        if (transition is null) return Refusal.NoTransition(id);
        var now = transition.Settings;
        var next = new TransitionSettingsChanged(id, r.StallAfterHours ?? now.StallAfterHours, at)
        {
            RejectDirectSend = r.RejectDirectSend ?? now.RejectDirectSend, SmtpBasicAuthReenabled = r.SmtpBasicAuthReenabled ?? now.SmtpBasicAuthReenabled,
        };
        if ((next.StallAfterHours, next.RejectDirectSend, next.SmtpBasicAuthReenabled) == (now.StallAfterHours, now.RejectDirectSend, now.SmtpBasicAuthReenabled))
            return Decision.Nothing;
        return Decision.Accept(next);
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
        Description = "`stallAfterHours`: a syncing move whose percent has not grown for this long is stalled (default 24). `rejectDirectSend`: the tenant " +
                      "rejects direct send, so the relay advisor stops offering it. `smtpBasicAuthReenabled`: the tenant turned SMTP AUTH Basic authentication " +
                      "back on after Microsoft's default change, so basic-auth devices keep working until its removal. A setting left out keeps its value. " +
                      "Recorded in the history, so an as-of read judges by the settings in force then. Values it already has answer 200 and record nothing.")]
    public static async Task<Results<Ok<SettingsAnswer>, ProblemHttpResult>> Put(string id, ChangeSettings request, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, request, session, time)).Answer(t => TypedResults.Ok(SettingsAnswer.Of(id, t.Settings)));

    [Tags("Transitions")]
    [WolverineGet("/api/transitions/{id}/settings", OperationId = "getSettings", Summary = "A transition's settings",
        Description = "`stallAfterHours`: after how many hours without progress a syncing move is stalled (default 24); `rejectDirectSend`; `smtpBasicAuthReenabled`.")]
    public static async Task<Results<Ok<SettingsAnswer>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        await session.LoadAsync<Transition>(id) is { } t ? TypedResults.Ok(SettingsAnswer.Of(id, t.Settings)) : Problem.TransitionNotFound(id);
}
