using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

public static class GetTransitionEndpoint
{
    [Tags("Transitions")]
    [WolverineGet("/api/transitions/{id}", OperationId = "getTransition", Summary = "Get a transition",
        Description = "Its organisation, domains, phase and version (for `expectedVersion`).")]
    public static async Task<Results<Ok<Transition>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        await session.LoadAsync<Transition>(id) is { } transition ? TypedResults.Ok(transition) : Problem.TransitionNotFound(id);
}
