using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Dependencies;

public static class GetDependenciesEndpoint
{
    [Tags("Views")]
    [WolverineGet("/api/transitions/{id}/dependencies", OperationId = "getDependencies", Summary = "What still ties the organisation to its own servers",
        Description = "Every remaining on-prem dependency by category (mailboxes not completed, devices not re-pointed to Office 365, hybrid endpoints " +
                      "pending a restart, directory sync's AD and sync server, components neither decommissioned nor retained, open blockers), each with " +
                      "the reason and what would clear it (a mailbox's names its wave and a stall); and whether Exchange can be decommissioned, with the reasons why not. " +
                      "`asOf` (an instant) shows the view as it stood then.")]
    public static async Task<Results<Ok<DependencyView>, ProblemHttpResult>> Get(string id, DateTimeOffset? asOf, IQuerySession session, TimeProvider time) =>
        await ViewReader.Read(session, id, asOf) is { } view
            ? TypedResults.Ok(DependencyRules.Of(view, await ViewReader.RemainingMailboxes(session, view, asOf ?? time.GetUtcNow()), asOf))
            : Problem.TransitionNotFound(id);
}
