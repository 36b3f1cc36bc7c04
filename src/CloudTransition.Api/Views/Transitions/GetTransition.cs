using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Transitions;

/// <summary>A transition with its phase, its version (for `expectedVersion`) and progress per category.</summary>
public record TransitionSummary(string Id, string Organisation, IReadOnlyList<string> Domains, DateOnly? PlannedCompletion,
    TransitionPhase Phase, DateTimeOffset StartedAt, int Version, int Remaining, IReadOnlyList<CategoryProgress> Progress);

public static class GetTransitionEndpoint
{
    [Tags("Transitions")]
    [WolverineGet("/api/transitions/{id}", OperationId = "getTransition", Summary = "Get a transition",
        Description = "Its organisation, domains, phase, version (for `expectedVersion`) and, per category, how many items are done.")]
    public static async Task<Results<Ok<TransitionSummary>, ProblemHttpResult>> Get(string id, IQuerySession session)
    {
        if (await session.LoadAsync<Transition>(id) is not { } t) return Problem.TransitionNotFound(id);
        var progress = DashboardRules.Progress(await ViewReader.Read(session, id, null) ?? new TransitionView { Id = id });
        return TypedResults.Ok(new TransitionSummary(t.Id, t.Organisation, t.Domains, t.PlannedCompletion, t.Phase, t.StartedAt, t.Version,
            progress.Sum(p => p.Total - p.Done), progress));
    }
}
