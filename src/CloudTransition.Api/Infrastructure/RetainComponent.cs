using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Infrastructure;

/// <param name="Reason">Why it stays on-premises, e.g. `file server for the plant`.</param>
/// <param name="OccurredAt">When it was decided; defaults to now.</param>
public record RetainComponent(string? Reason, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RetainComponent>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class RetainComponentEndpoint
{
    [Tags("Infrastructure")]
    [WolverinePost("/api/transitions/{id}/components/{componentId}/retain", OperationId = "retainComponent", Summary = "Keep a component on-premises on purpose",
        Description = "A retained component no longer counts as a remaining dependency; the reason is shown instead. A decommissioned component answers 409.")]
    public static async Task<Results<Ok<ComponentAnswer>, ProblemHttpResult>> Post(string id, string componentId, RetainComponent r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Component>(Component.Key(id, componentId));
        if (stream.Aggregate is not { } component) return Problem.NotFound($"No component '{componentId}' in transition '{id}'.");
        if (component.State == ComponentState.Decommissioned) return Problem.Conflict($"'{component.Name}' is already decommissioned.");

        var e = new ComponentRetained(id, componentId, r.Reason!.Trim(), r.At(time));
        stream.AppendOne(e);
        return TypedResults.Ok(ComponentAnswer.Of(component.Then(e, Component.Fold)));
    }
}
