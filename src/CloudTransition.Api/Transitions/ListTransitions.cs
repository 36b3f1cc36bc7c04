using Marten;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

public static class ListTransitionsEndpoint
{
    [Tags("Transitions")]
    [WolverineGet("/api/transitions", OperationId = "listTransitions", Summary = "List the tenant's transitions",
        Description = "Every transition of the caller's tenant, newest first.")]
    public static async Task<IReadOnlyList<Transition>> Get(IQuerySession session) =>
        await session.Query<Transition>().OrderByDescending(t => t.StartedAt).ToListAsync();
}
