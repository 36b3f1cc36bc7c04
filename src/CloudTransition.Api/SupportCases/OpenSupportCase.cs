using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.SupportCases;

/// <param name="Title">What is wrong, e.g. `Free/busy fails cloud to on-prem`.</param>
/// <param name="Vendor">e.g. `Microsoft`.</param>
/// <param name="Channel">direct (up to 2 days to a first response) or partner (escalation paths).</param>
/// <param name="Severity">a, b or c.</param>
/// <param name="OccurredAt">When it was opened; defaults to now.</param>
public record OpenSupportCase(string? Title, string? Vendor, SupportChannel? Channel, CaseSeverity? Severity, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<OpenSupportCase>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Title).NotEmpty().MaximumLength(300);
            RuleFor(x => x.Vendor).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Channel).NotNull();
            RuleFor(x => x.Severity).NotNull();
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class OpenSupportCaseEndpoint
{
    public static Decision Decide(OpenSupportCase r, string id, string caseId, DateTimeOffset at) =>
        Decision.Accept(new SupportCaseOpened(id, caseId, r.Title!.Trim(), r.Vendor!.Trim(), r.Channel!.Value, r.Severity!.Value, at));

    public static async Task<Outcome<SupportCase>> Handle(string id, OpenSupportCase r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var caseId = TransitionChecks.NewItemId();
        return session.StartWith<SupportCase>(SupportCase.Key(id, caseId), Decide(r, id, caseId, r.At(time)), SupportCase.Fold);
    }

    [Tags("Support cases")]
    [RequestExample("""{"title":"Free/busy fails cloud to on-prem","vendor":"Microsoft","channel":"partner","severity":"b"}""")]
    [WolverinePost("/api/transitions/{id}/support-cases", OperationId = "openSupportCase", Summary = "Open a support case with a vendor",
        Description = "Opens a case with a vendor (directly, or through a partner with escalation paths); its first response, escalations and resolution are recorded later.")]
    public static async Task<Results<Created<SupportCaseAnswer>, ProblemHttpResult>> Post(string id, OpenSupportCase r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, r, session, time)).Answer(c => TypedResults.Created($"/api/transitions/{id}/support-cases/{c.CaseId}", SupportCaseAnswer.Of(c)));
}
