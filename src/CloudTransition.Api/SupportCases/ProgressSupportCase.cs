using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.SupportCases;

/// <param name="Note">What was said or done.</param>
/// <param name="OccurredAt">When it happened; defaults to now.</param>
public record CaseNote(string? Note, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<CaseNote>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Note).MaximumLength(4000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <summary>A response, an escalation or the resolution: none before the case was opened, none after it was resolved.</summary>
public static class ProgressSupportCaseEndpoints
{
    public static Decision Decide(SupportCase? supportCase, string id, string caseId, object happened, DateTimeOffset at, string verb) => supportCase switch
    {
        null => new Refusal.NotFound($"No support case '{caseId}' in transition '{id}'."),
        { Open: false } => new Refusal.Conflict($"Case '{supportCase.Title}' was resolved at {supportCase.ResolvedAt:O}; cannot {verb} it."),
        _ when at < supportCase.OpenedAt => new Refusal.Conflict($"Cannot {verb} case '{supportCase.Title}' at {at:O}, before it was opened at {supportCase.OpenedAt:O}."),
        _ => Decision.Accept(happened),
    };

    public static Task<Outcome<SupportCase>> HandleResponse(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        Progress(id, caseId, session, at => new SupportCaseResponded(id, caseId, r.Note, at), r.At(time), "respond to");

    public static Task<Outcome<SupportCase>> HandleEscalation(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        Progress(id, caseId, session, at => new SupportCaseEscalated(id, caseId, r.Note, at), r.At(time), "escalate");

    public static Task<Outcome<SupportCase>> HandleResolution(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        Progress(id, caseId, session, at => new SupportCaseResolved(id, caseId, r.Note, at), r.At(time), "resolve");

    [Tags("Support cases")]
    [RequestExample("""{"note":"Engineer asked for HCW logs"}""")]
    [WolverinePost("/api/transitions/{id}/support-cases/{caseId}/response", OperationId = "recordCaseResponse", Summary = "Record the vendor's response",
        Description = "The earliest response is the first response. Before the case was opened, or after it was resolved: 409.")]
    public static async Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Respond(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        (await HandleResponse(id, caseId, r, session, time)).Answer(c => TypedResults.Ok(SupportCaseAnswer.Of(c)));

    [Tags("Support cases")]
    [RequestExample("""{"note":"Escalated through the partner"}""")]
    [WolverinePost("/api/transitions/{id}/support-cases/{caseId}/escalate", OperationId = "escalateCase", Summary = "Record an escalation",
        Description = "Before the case was opened, or after it was resolved: 409.")]
    public static async Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Escalate(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        (await HandleEscalation(id, caseId, r, session, time)).Answer(c => TypedResults.Ok(SupportCaseAnswer.Of(c)));

    [Tags("Support cases")]
    [RequestExample("""{"note":"IIS restarted on EXCH03"}""")]
    [WolverinePost("/api/transitions/{id}/support-cases/{caseId}/resolve", OperationId = "resolveCase", Summary = "Record the resolution",
        Description = "Before the case was opened, or a second time: 409.")]
    public static async Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Resolve(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        (await HandleResolution(id, caseId, r, session, time)).Answer(c => TypedResults.Ok(SupportCaseAnswer.Of(c)));

    private static async Task<Outcome<SupportCase>> Progress(string id, string caseId, IDocumentSession session, Func<DateTimeOffset, object> happened,
        DateTimeOffset at, string verb)
    {
        var stream = await session.Events.FetchForWriting<SupportCase>(SupportCase.Key(id, caseId));
        return stream.Apply(Decide(stream.Aggregate, id, caseId, happened(at), at, verb), SupportCase.Fold);
    }
}
