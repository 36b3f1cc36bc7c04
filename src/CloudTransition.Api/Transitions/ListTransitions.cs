using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

public static class ListTransitionsEndpoint
{
    public const int DefaultLimit = 500, MaxLimit = 1000;

    [Tags("Transitions")]
    [ResponseHeader("200", "X-Total-Count", "How many transitions the tenant has (more than the list holds when `limit` cut it).")]
    [WolverineGet("/api/transitions", OperationId = "listTransitions", Summary = "List the tenant's transitions",
        Description = "The caller's tenant's transitions, newest first: at most `limit` (1–1000, default 500). " +
                      "`X-Total-Count` says how many the tenant has, so a client can tell when the list was cut.")]
    public static async Task<Results<Ok<IReadOnlyList<Transition>>, ProblemHttpResult>> Get(int? limit, IQuerySession session, HttpResponse response)
    {
        if (limit is < 1 or > MaxLimit) return Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        var transitions = await session.Query<Transition>().OrderByDescending(t => t.StartedAt).Take(limit ?? DefaultLimit).ToListAsync();
        response.Headers["X-Total-Count"] = (await session.Query<Transition>().CountAsync()).ToString();
        return TypedResults.Ok<IReadOnlyList<Transition>>(transitions);
    }
}
