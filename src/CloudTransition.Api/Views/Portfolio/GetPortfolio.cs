using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Portfolio;

/// <summary>One transition at a glance.</summary>
public record PortfolioRow(string Id, string Organisation, TransitionPhase Phase, decimal PercentDone, int RemainingDependencies,
    int OpenSupportCases, DateOnly? ForecastCompletion, string ForecastBasis, DateOnly? PlannedCompletion, int LateWaves, int StalledMoves);

/// <param name="AsOf">The instant the portfolio was read as of, if any.</param>
/// <param name="Total">How many transitions the tenant had then; more than the rows when `limit` cut the list.</param>
/// <param name="Transitions">At most `limit` rows, by organisation.</param>
/// <param name="Next">The cursor of the next page (pass it as `after`); absent on the last page.</param>
public record PortfolioView(DateTimeOffset? AsOf, int Total, IReadOnlyList<PortfolioRow> Transitions,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Next = null);

public static class GetPortfolioEndpoint
{
    /// <summary>Each row reads a view (and, as of an instant, folds a transition's events): bounded so that no single read holds the service.</summary>
    public const int DefaultLimit = 100, MaxLimit = 250;

    [Tags("Views")]
    [WolverineGet("/api/portfolio", OperationId = "getPortfolio", Summary = "One row per transition of the tenant",
        Description = "Organisation, phase, percent done, remaining dependencies, open support cases, late waves, stalled moves and forecast completion of the tenant's transitions, " +
                      "by organisation: pages of at most `limit` (1–250, default 100) from `after` (the `next` of the page before); `total` says how many there are. " +
                      "`asOf` shows it as it stood then (transitions started later are left out). With `Accept: text/csv` or `format=csv`: the rows as a CSV file.")]
    public static async Task<Results<Ok<PortfolioView>, CsvFile, ProblemHttpResult>> Get(DateTimeOffset? asOf, int? limit, string? after, string? format,
        HttpRequest http, IQuerySession session, Cursors cursors, TimeProvider time)
    {
        if (CsvFile.FormatProblem(format) is { } formatProblem) return formatProblem;
        if (limit is < 1 or > MaxLimit) return Problem.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        var list = $"portfolio:{session.TenantId}:{asOf?.ToUnixTimeMilliseconds()}";
        var (paging, problem) = Paging.Of(limit ?? DefaultLimit, after, cursors, list, 2);
        if (problem is not null) return problem;
        var now = asOf ?? time.GetUtcNow();
        // Live, every transition of the tenant is in it (counted from the primary key alone); as of an instant, those started by then.
        var started = asOf is null ? session.Query<Transition>() : session.Query<Transition>().Where(t => t.StartedAt <= now);
        var page = started;
        if (paging!.After is [var organisation, var lastId])
            page = page.Where(t => string.Compare(t.Organisation, organisation) > 0 || t.Organisation == organisation && string.Compare(t.Id, lastId) > 0);
        var transitions = await page.OrderBy(t => t.Organisation).ThenBy(t => t.Id).Take(paging.Limit + 1).ToListAsync();
        var next = transitions.Count > paging.Limit ? cursors.After(list, transitions[paging.Limit - 1].Organisation, transitions[paging.Limit - 1].Id) : null;
        transitions = transitions.Take(paging.Limit).ToList();
        // Live: the views' documents, and a fold of the few the async view has not reached yet; as of an instant: folds. Either way one query.
        var live = asOf is null
            ? (await session.LoadManyAsync<TransitionView>(transitions.Select(t => t.Id))).ToDictionary(v => v.Id)
            : new Dictionary<string, TransitionView>(await ViewReader.ReadMany(session, transitions.Select(t => t.Id).ToList(), asOf.Value));
        var missing = transitions.Select(t => t.Id).Where(id => !live.ContainsKey(id)).ToList();
        foreach (var (id, folded) in await ViewReader.ReadMany(session, missing, asOf ?? DateTimeOffset.MaxValue)) live[id] = folded;
        var rows = new List<PortfolioRow>();
        foreach (var transition in transitions)
        {
            var view = live[transition.Id];
            var dashboard = DashboardRules.Of(view, now, asOf);
            rows.Add(new PortfolioRow(transition.Id, transition.Organisation, view.Events > 0 ? view.Phase : transition.Phase, dashboard.PercentDone,
                dashboard.Remaining, dashboard.SupportCases.Open, dashboard.Forecast.CompletionDate, dashboard.Forecast.Basis, transition.PlannedCompletion,
                dashboard.Waves.Count(w => w.State == Views.Waves.WaveState.Late), dashboard.StalledMoves));
        }
        if (CsvFile.Wanted(http, format))
            return CsvFile.Of(session.TenantId, "portfolio", now,
                ["id", "organisation", "phase", "percentDone", "remainingDependencies", "openSupportCases", "lateWaves", "stalledMoves", "forecastCompletion",
                 "forecastBasis", "plannedCompletion"],
                rows, r => [r.Id, r.Organisation, r.Phase, r.PercentDone, r.RemainingDependencies, r.OpenSupportCases, r.LateWaves, r.StalledMoves,
                    r.ForecastCompletion, r.ForecastBasis, r.PlannedCompletion]);
        return TypedResults.Ok(new PortfolioView(asOf, await started.CountAsync(), rows, next));
    }
}
