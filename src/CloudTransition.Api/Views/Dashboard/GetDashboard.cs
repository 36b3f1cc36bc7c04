using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Dashboard;

public static class GetDashboardEndpoint
{
    [Tags("Views")]
    [WolverineGet("/api/transitions/{id}/dashboard", OperationId = "getDashboard", Summary = "Progress, burn-down, velocity, forecast, risks and support cases",
        Description = "Progress per category (done, total, percent); remaining dependencies at the end of each day by event time; net dependencies " +
                      "cleared per day over 7 and 28 days; a forecast completion date from that pace (null with the reason when there is not enough history); " +
                      "risks (endpoints pending restart, devices over Exchange Online limits, failed moves, cases without a first response after 2 days); " +
                      "support-case figures. `asOf` shows it as it stood then.")]
    public static async Task<Results<Ok<DashboardView>, ProblemHttpResult>> Get(string id, DateTimeOffset? asOf, IQuerySession session, TimeProvider time) =>
        await ViewReader.Read(session, id, asOf) is { } view
            ? TypedResults.Ok(DashboardRules.Of(view, asOf ?? time.GetUtcNow(), asOf))
            : Problem.TransitionNotFound(id);
}
