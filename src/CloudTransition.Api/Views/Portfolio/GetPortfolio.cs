using CloudTransition.Api.Transitions;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Contracts;
using Marten;
using Wolverine.Http;

namespace CloudTransition.Api.Views.Portfolio;

/// <summary>One transition at a glance.</summary>
public record PortfolioRow(string Id, string Organisation, TransitionPhase Phase, decimal PercentDone, int RemainingDependencies,
    int OpenSupportCases, DateOnly? ForecastCompletion, string ForecastBasis, DateOnly? PlannedCompletion);

public record PortfolioView(DateTimeOffset? AsOf, IReadOnlyList<PortfolioRow> Transitions);

public static class GetPortfolioEndpoint
{
    [Tags("Views")]
    [WolverineGet("/api/portfolio", OperationId = "getPortfolio", Summary = "One row per transition of the tenant",
        Description = "Organisation, phase, percent done, remaining dependencies, open support cases and forecast completion of every transition. " +
                      "`asOf` shows it as it stood then (transitions started later are left out).")]
    public static async Task<PortfolioView> Get(DateTimeOffset? asOf, IQuerySession session, TimeProvider time)
    {
        var now = asOf ?? time.GetUtcNow();
        var transitions = await session.Query<Transition>().Where(t => t.StartedAt <= now).OrderBy(t => t.Organisation).ToListAsync();
        var rows = new List<PortfolioRow>();
        foreach (var transition in transitions)
        {
            var view = await ViewReader.Read(session, transition.Id, asOf) ?? new TransitionView { Id = transition.Id };
            var dashboard = DashboardRules.Of(view, now, asOf);
            rows.Add(new PortfolioRow(transition.Id, transition.Organisation, view.Events > 0 ? view.Phase : transition.Phase, dashboard.PercentDone,
                dashboard.Remaining, dashboard.SupportCases.Open, dashboard.Forecast.CompletionDate, dashboard.Forecast.Basis, transition.PlannedCompletion));
        }
        return new PortfolioView(asOf, rows);
    }
}
