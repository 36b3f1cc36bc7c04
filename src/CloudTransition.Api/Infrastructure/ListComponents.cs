using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Infrastructure;

public static class ListComponentsEndpoint
{
    [Tags("Infrastructure")]
    [WolverineGet("/api/transitions/{id}/components", OperationId = "listComponents", Summary = "List a transition's on-prem components",
        Description = "Every on-prem component of the transition with its state (active, decommissioned, retained and why), by name.")]
    public static Task<Results<Ok<IReadOnlyList<ComponentAnswer>>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        session.ItemsOf<Component, ComponentAnswer>(id, c => c.Name, ComponentAnswer.Of);
}
