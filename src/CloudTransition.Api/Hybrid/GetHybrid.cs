using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Hybrid;

public static class GetHybridEndpoint
{
    [Tags("Hybrid")]
    [WolverineGet("/api/transitions/{id}/hybrid", OperationId = "getHybrid", Summary = "The hybrid endpoints, which are pending a restart, and the checks",
        Description = "The hybrid endpoints with when the wizard last configured them and when they were last restarted (pending while not restarted since), and the Autodiscover / free-busy checks.")]
    public static Task<Results<Ok<HybridAnswer>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        session.ItemOf(id, HybridState.Key(id), HybridState.Empty, HybridAnswer.Of);
}
