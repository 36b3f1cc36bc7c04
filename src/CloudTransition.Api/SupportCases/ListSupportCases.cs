using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.SupportCases;

public static class ListSupportCasesEndpoint
{
    [Tags("Support cases")]
    [WolverineGet("/api/transitions/{id}/support-cases", OperationId = "listSupportCases", Summary = "List a transition's support cases",
        Description = "Every support case of the transition with its opened, first response and resolved instants, oldest first.")]
    public static Task<Results<Ok<IReadOnlyList<SupportCaseAnswer>>, ProblemHttpResult>> Get(string id, IQuerySession session) =>
        session.ItemsOf<SupportCase, SupportCaseAnswer>(id, c => c.OpenedAt, SupportCaseAnswer.Of);
}
