using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.DirectorySync;

public static class GetDirectorySyncEndpoint
{
    [Tags("Directory sync")]
    [WolverineGet("/api/transitions/{id}/directory-sync", OperationId = "getDirectorySync", Summary = "Is directory sync on?",
        Description = "Whether directory sync is on, with the tool and server; while it is, on-prem AD and the sync server are dependencies.")]
    public static Task<Results<Ok<DirectorySyncAnswer>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        session.ItemOf(id, DirectorySyncState.Key(id), DirectorySyncState.Off, DirectorySyncAnswer.Of);
}
