using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Transitions;

public static class ListTransitionsEndpoint
{
    [Tags("Transitions")]
    [ResponseHeader("200", "X-Total-Count", "How many transitions the tenant has (more than the list holds when `limit` cut it).")]
    [ResponseHeader("200", "Link", "`<…&after=…>; rel=\"next\"` when more transitions follow.")]
    [WolverineGet("/api/transitions", OperationId = "listTransitions", Summary = "List the tenant's transitions",
        Description = "The caller's tenant's transitions, newest first, paged: `limit` (1–5000, default 500) and `after`; a `Link` header with " +
                      "rel=\"next\" gives the next page. `X-Total-Count` says how many the tenant has.")]
    public static async Task<Results<Ok<IReadOnlyList<Transition>>, ProblemHttpResult>> Get(int? limit, string? after, IQuerySession session, Cursors cursors,
        HttpContext http)
    {
        var (paging, problem) = Paging.Of(limit, after, cursors, $"transitions:{session.TenantId}", 2);
        if (problem is not null) return problem;
        var query = session.Query<Transition>().AsQueryable();
        if (paging!.After is [var ticks, var lastId])
        {
            if (!long.TryParse(ticks, out var t)) return Problem.Invalid("after", "after is not a cursor this list gave.");
            var at = new DateTimeOffset(t, TimeSpan.Zero);
            query = query.Where(x => x.StartedAt < at || x.StartedAt == at && string.Compare(x.Id, lastId) < 0);
        }
        var transitions = await query.OrderByDescending(t => t.StartedAt).ThenByDescending(t => t.Id).Take(paging.Limit + 1).ToListAsync();
        http.Response.Headers["X-Total-Count"] = (await session.Query<Transition>().CountAsync()).ToString();
        if (transitions.Count > paging.Limit)
        {
            var last = transitions[paging.Limit - 1];
            http.Response.Headers.Link = $"<{Paging.NextUrl(http.Request, cursors.After($"transitions:{session.TenantId}", last.StartedAt.UtcTicks.ToString(), last.Id))}>; rel=\"next\"";
        }
        return TypedResults.Ok<IReadOnlyList<Transition>>(transitions.Take(paging.Limit).ToList());
    }
}
