using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.DirectorySync;

/// <param name="Tool">dirsync, aad-connect or entra-connect.</param>
/// <param name="Server">The server running it, e.g. `sync01.abc.local`.</param>
/// <param name="OccurredAt">When it was switched on; defaults to now.</param>
public record EnableDirectorySync(SyncTool? Tool, string? Server, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<EnableDirectorySync>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Tool).NotNull();
            RuleFor(x => x.Server).NotEmpty().MaximumLength(253);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class EnableDirectorySyncEndpoint
{
    [Tags("Directory sync")]
    [WolverinePost("/api/transitions/{id}/directory-sync", OperationId = "enableDirectorySync", Summary = "Record that directory sync is on",
        Description = "From now on users, passwords and distribution groups are managed in on-prem AD, so AD and the sync server are dependencies. " +
                      "201 when switched on; enabling it again with the same tool and server answers 200 and records nothing.")]
    public static async Task<Results<Created<DirectorySyncAnswer>, Ok<DirectorySyncAnswer>, ProblemHttpResult>> Post(
        string id, EnableDirectorySync r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Problem.TransitionNotFound(id);
        var stream = await session.Events.FetchForWriting<DirectorySyncState>(DirectorySyncState.Key(id));
        var server = r.Server!.Trim().ToLowerInvariant();
        if (stream.Aggregate is { Enabled: true } current && current.Tool == r.Tool && current.Server == server)
            return TypedResults.Ok(DirectorySyncAnswer.Of(current));

        var e = new DirectorySyncEnabled(id, r.Tool!.Value, server, r.At(time));
        stream.AppendOne(e);
        var state = stream.Aggregate?.Then(e, DirectorySyncState.Fold) ?? DirectorySyncState.Off(id).Then(e, DirectorySyncState.Fold);
        return TypedResults.Created($"/api/transitions/{id}/directory-sync", DirectorySyncAnswer.Of(state));
    }
}
