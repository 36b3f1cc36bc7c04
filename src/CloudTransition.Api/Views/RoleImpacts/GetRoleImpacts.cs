using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.RoleImpacts;

public static class GetRoleImpactsEndpoint
{
    [Tags("Views")]
    [WolverineGet("/api/transitions/{id}/role-impacts", OperationId = "getRoleImpacts", Summary = "How each IT role's workload changes",
        Description = "For backup operations, hardware maintenance, SAN management, infrastructure design, network administration, help desk, " +
                      "directory administration and vendor-support liaison: hours per month at the baseline (the estate as inventoried, before anything moved) " +
                      "and now, the change, the trend, and the drivers behind it. The weights are listed by GET /api/role-weights. `asOf` shows it as it stood then.")]
    public static async Task<Results<Ok<RoleImpactView>, ProblemHttpResult>> Get(string id, DateTimeOffset? asOf, IQuerySession session, TimeProvider time) =>
        await ViewReader.Read(session, id, asOf) is { } view
            ? TypedResults.Ok(RoleImpactRules.Of(view, asOf ?? time.GetUtcNow(), asOf))
            : Problem.TransitionNotFound(id);

    [Tags("Views")]
    [WolverineGet("/api/role-weights", OperationId = "getRoleWeights", Summary = "The workload weights behind the role impacts",
        Description = "Hours per month that one unit of each measure costs each role.")]
    public static IReadOnlyList<RoleWeight> Weights() => RoleWeights.Table;
}
