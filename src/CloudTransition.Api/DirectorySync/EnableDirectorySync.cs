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
    /// <summary>On already, with the same tool and server: nothing to record.</summary>
    public static Decision Decide(DirectorySyncState? state, EnableDirectorySync r, string id, DateTimeOffset at)
    {
        // The server as entered; the same server however it is spelt records nothing new.
        var server = r.Server!.Trim();
        return state is { Enabled: true } current && current.Tool == r.Tool && string.Equals(current.Server, server, StringComparison.OrdinalIgnoreCase)
            ? Decision.Nothing
            : Decision.Accept(new DirectorySyncEnabled(id, r.Tool!.Value, server, at));
    }

    public static async Task<Outcome<DirectorySyncState>> Handle(string id, EnableDirectorySync r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var stream = await session.Events.FetchForWriting<DirectorySyncState>(DirectorySyncState.Key(id));
        return stream.Apply(Decide(stream.Aggregate, r, id, r.At(time)), DirectorySyncState.Fold);
    }

    [Tags("Directory sync")]
    [RequestExample("""{"tool":"aad-connect","server":"sync01.abc.local"}""")]
    [WolverinePost("/api/transitions/{id}/directory-sync", OperationId = "enableDirectorySync", Summary = "Record that directory sync is on",
        Description = "From now on users, passwords and distribution groups are managed in on-prem AD, so AD and the sync server are dependencies. " +
                      "201 when switched on; enabling it again with the same tool and server answers 200 and records nothing.")]
    public static async Task<Results<Created<DirectorySyncAnswer>, Ok<DirectorySyncAnswer>, ProblemHttpResult>> Post(
        string id, EnableDirectorySync r, IDocumentSession session, TimeProvider time)
    {
        var outcome = await Handle(id, r, session, time);
        if (outcome.Refusal is { } refusal) return refusal.Problem();
        var answer = DirectorySyncAnswer.Of(outcome.State!);
        return outcome.Recorded > 0 ? TypedResults.Created($"/api/transitions/{id}/directory-sync", answer) : TypedResults.Ok(answer);
    }
}
