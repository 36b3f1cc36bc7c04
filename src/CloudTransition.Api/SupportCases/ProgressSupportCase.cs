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
    [Tags("Support cases")]
    [WolverinePost("/api/transitions/{id}/support-cases/{caseId}/response", OperationId = "recordCaseResponse", Summary = "Record the vendor's response",
        Description = "The earliest response is the first response. Before the case was opened, or after it was resolved: 409.")]
    public static Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Respond(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        Progress(id, caseId, session, at => new SupportCaseResponded(id, caseId, r.Note, at), r.At(time), "respond to");

    [Tags("Support cases")]
    [WolverinePost("/api/transitions/{id}/support-cases/{caseId}/escalate", OperationId = "escalateCase", Summary = "Record an escalation",
        Description = "Before the case was opened, or after it was resolved: 409.")]
    public static Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Escalate(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        Progress(id, caseId, session, at => new SupportCaseEscalated(id, caseId, r.Note, at), r.At(time), "escalate");

    [Tags("Support cases")]
    [WolverinePost("/api/transitions/{id}/support-cases/{caseId}/resolve", OperationId = "resolveCase", Summary = "Record the resolution",
        Description = "Before the case was opened, or a second time: 409.")]
    public static Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Resolve(string id, string caseId, CaseNote r, IDocumentSession session, TimeProvider time) =>
        Progress(id, caseId, session, at => new SupportCaseResolved(id, caseId, r.Note, at), r.At(time), "resolve");

    private static async Task<Results<Ok<SupportCaseAnswer>, ProblemHttpResult>> Progress(
        string id, string caseId, IDocumentSession session, Func<DateTimeOffset, object> happened, DateTimeOffset at, string verb)
    {
        var stream = await session.Events.FetchForWriting<SupportCase>(SupportCase.Key(id, caseId));
        if (stream.Aggregate is not { } supportCase) return Problem.NotFound($"No support case '{caseId}' in transition '{id}'.");
        if (!supportCase.Open) return Problem.Conflict($"Case '{supportCase.Title}' was resolved at {supportCase.ResolvedAt:O}; cannot {verb} it.");
        if (at < supportCase.OpenedAt) return Problem.Conflict($"Cannot {verb} case '{supportCase.Title}' at {at:O}, before it was opened at {supportCase.OpenedAt:O}.");

        var e = happened(at);
        stream.AppendOne(e);
        return TypedResults.Ok(SupportCaseAnswer.Of(supportCase.Then(e, SupportCase.Fold)));
    }
}
