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
    public static Decision Decide(Component? component, RetainComponent r, string id, string componentId, DateTimeOffset at) => component switch
    {
        null => new Refusal.NotFound($"No component '{componentId}' in transition '{id}'."),
        { State: ComponentState.Decommissioned } => new Refusal.Conflict($"'{component.Name}' is already decommissioned."),
        _ => Decision.Accept(new ComponentRetained(id, componentId, r.Reason!.Trim(), at)),
    };

    public static async Task<Outcome<Component>> Handle(string id, string componentId, RetainComponent r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Component>(Component.Key(id, componentId));
        return stream.Apply(Decide(stream.Aggregate, r, id, componentId, r.At(time)), Component.Fold);
    }

    [Tags("Infrastructure")]
    [RequestExample("""{"reason":"AD stays the source of authority while directory sync is on"}""")]
    [WolverinePost("/api/transitions/{id}/components/{componentId}/retain", OperationId = "retainComponent", Summary = "Keep a component on-premises on purpose",
        Description = "A retained component no longer counts as a remaining dependency; the reason is shown instead. A decommissioned component answers 409.")]
    public static async Task<Results<Ok<ComponentAnswer>, ProblemHttpResult>> Post(string id, string componentId, RetainComponent r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, componentId, r, session, time)).Answer(c => TypedResults.Ok(ComponentAnswer.Of(c)));
}
