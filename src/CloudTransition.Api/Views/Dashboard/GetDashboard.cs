using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Dashboard;

public static class GetDashboardEndpoint
{
    [Tags("Views")]
    [WolverineGet("/api/transitions/{id}/dashboard", OperationId = "getDashboard", Summary = "Progress, burn-down, velocity, forecast, risks and support cases",
        Description = "Progress per category (done, total, percent); remaining dependencies at the end of each day by event time; dependencies " +
                      "cleared per day over 7 and 28 days; a forecast completion date from that pace (null with the reason when there is not enough history); " +
                      "risks (late waves, waves planned to complete in a blackout, stalled moves, endpoints pending restart, devices over Exchange Online limits, " +
                      "failed moves, cases without a first response after 2 days); support-case figures; each wave plan against actual, and beside the " +
                      "burn-down the total scope and what the waves' schedules said would remain. Velocity counts what was cleared: items added later " +
                      "raise the scope line, not a negative pace. `asOf` shows it as it stood then.")]
    public static async Task<Results<Ok<DashboardView>, ProblemHttpResult>> Get(string id, DateTimeOffset? asOf, IQuerySession session, TimeProvider time) =>
        await ViewReader.Read(session, id, asOf) is { } view
            ? TypedResults.Ok(DashboardRules.Of(view, asOf ?? time.GetUtcNow(), asOf))
            : Problem.TransitionNotFound(id);
}
