using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Hybrid;

/// <param name="Check">autodiscover or free-busy.</param>
/// <param name="Direction">e.g. `on-prem-to-cloud` or `cloud-to-on-prem`.</param>
/// <param name="Passed">Whether it worked.</param>
/// <param name="Detail">What was seen.</param>
/// <param name="OccurredAt">When it was checked; defaults to now.</param>
public record RecordHybridCheck(HybridCheck? Check, string? Direction, bool? Passed, string? Detail, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RecordHybridCheck>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Check).NotNull();
            RuleFor(x => x.Passed).NotNull();
            RuleFor(x => x.Direction).MaximumLength(100);
            RuleFor(x => x.Detail).MaximumLength(4000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class RecordHybridCheckEndpoint
{
    public static Decision Decide(RecordHybridCheck r, string id, DateTimeOffset at) =>
        Decision.Accept(new HybridCheckRecorded(id, r.Check!.Value, r.Direction, r.Passed!.Value, r.Detail, at));

    public static async Task<Outcome<HybridState>> Handle(string id, RecordHybridCheck r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var stream = await session.Events.FetchForWriting<HybridState>(HybridState.Key(id));
        return stream.Apply(Decide(r, id, r.At(time)), HybridState.Fold);
    }

    [Tags("Hybrid")]
    [RequestExample("""{"check":"free-busy","direction":"cloud-to-on-prem","passed":true}""")]
    [WolverinePost("/api/transitions/{id}/hybrid/checks", OperationId = "recordHybridCheck", Summary = "Record an Autodiscover or free/busy check",
        Description = "Records an Autodiscover or free/busy verification and whether it passed, e.g. after restarting the hybrid endpoints.")]
    public static async Task<Results<Created<CheckResult>, ProblemHttpResult>> Post(string id, RecordHybridCheck r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, r, session, time)).Answer(hybrid => TypedResults.Created($"/api/transitions/{id}/hybrid", hybrid.Checks[^1]));
}
