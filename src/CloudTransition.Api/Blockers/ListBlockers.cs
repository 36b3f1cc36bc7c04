using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Blockers;

public static class ListBlockersEndpoint
{
    [Tags("Blockers")]
    [WolverineGet("/api/transitions/{id}/blockers", OperationId = "listBlockers", Summary = "List a transition's blockers",
        Description = "Every blocker of the transition, open or resolved, oldest first.")]
    public static Task<Results<Ok<IReadOnlyList<BlockerAnswer>>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        session.ItemsOf<Blocker, BlockerAnswer>(id, b => b.RaisedAt, BlockerAnswer.Of);
}
