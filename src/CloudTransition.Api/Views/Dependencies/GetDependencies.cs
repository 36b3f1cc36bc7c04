using CloudTransition.Api.Common;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Dependencies;

public static class GetDependenciesEndpoint
{
    [Tags("Views")]
    [WolverineGet("/api/transitions/{id}/dependencies", OperationId = "getDependencies", Summary = "What still ties the organisation to its own servers",
        Description = "Every remaining on-prem dependency by category (mailboxes not completed, devices not re-pointed to Office 365, senders seen relaying " +
                      "that match no registered device, hybrid endpoints pending a restart, directory sync's AD and sync server, components neither " +
                      "decommissioned nor retained, open blockers), each with the reason and what would clear it (a mailbox's names its wave and a stall); " +
                      "and whether Exchange can be decommissioned, with the reasons why not. Paged in a stable order (category, then name): `limit` " +
                      "(1–5000, default 500) and `after` (the `next` of the page before); `total`, `byCategory` and the verdict are the whole list's. " +
                      "`asOf` (an instant) shows the view as it stood then. With `Accept: text/csv` or `format=csv`: the whole list as a CSV file, streamed.")]
    public static async Task<Results<Ok<DependencyView>, CsvFile, ProblemHttpResult>> Get(string id, DateTimeOffset? asOf, int? limit, string? after, string? format,
        HttpRequest http, IQuerySession session, Cursors cursors, TimeProvider time)
    {
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        if (CsvFile.Wanted(http, format))
        {
            if (await ViewReader.ReadWithMailboxes(session, id, asOf) is not { } read) return Problem.TransitionNotFound(id);
            var items = ViewReader.AllRemainingMailboxes(session, read, asOf ?? time.GetUtcNow()).Concat(DependencyRules.Others(read).ToAsyncEnumerable());
            return CsvFile.Of(read.Organisation, "dependencies", asOf ?? time.GetUtcNow(), ["category", "name", "reason", "unblockedBy", "keepsExchange", "wave"], items,
                i => [i.Category, i.Name, i.Reason, i.UnblockedBy, i.KeepsExchange, i.Wave]);
        }
        var list = $"dependencies:{id}:{asOf?.ToUnixTimeMilliseconds()}";
        var (paging, problem) = Paging.Of(limit, after, cursors, list, 3);
        if (problem is not null) return problem;
        var from = paging!.After is { } key ? DependencyKey.Of(key) : null;
        if (paging.After is not null && from is null) return Problem.Invalid("after", "after is not a cursor this list gave.");
        if (await ViewReader.ReadWithMailboxes(session, id, asOf) is not { } view) return Problem.TransitionNotFound(id);

        var mailboxesAfter = from is null ? null : from.Category == 0 ? from.Name : "\uffff";
        var mailboxes = await ViewReader.RemainingMailboxes(session, view, asOf ?? time.GetUtcNow(), mailboxesAfter,
            from is { Category: > 0 } ? 0 : paging.Limit + 1);
        var (answer, next) = DependencyRules.Of(view, mailboxes, asOf, paging.Limit, from);
        return TypedResults.Ok(next is null ? answer : answer with { Next = cursors.After(list, next.Cursor) });
    }
}
