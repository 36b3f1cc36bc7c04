using System.Globalization;
using CloudTransition.Api.Common;
using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Api.Views.Dependencies;
using CloudTransition.Api.Views.Portfolio;
using CloudTransition.Api.Views.RoleImpacts;
using PdfSharp.Drawing;

namespace CloudTransition.Api.Reports;

/// <summary>
/// The steering group's status report of one transition, as of an instant: what the dashboard, the dependency list and the role
/// impacts say (their own rules, read here, never recomputed), on two to four A4 pages.
/// </summary>
public static class StatusReport
{
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;
    private static string N(decimal value) => value.ToString("#,0.#", En);
    private static string Day(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", En) ?? "—";

    public static byte[] Of(TransitionView view, DashboardView dashboard, RemainingMailboxes mailboxes, IReadOnlyList<DependencyItem> others,
        RoleImpactView roles, DateTimeOffset now, DateTimeOffset? asOf)
    {
        using var pdf = new PdfCanvas($"{view.Organisation}: status report", $"{view.Organisation} · status report as of {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        pdf.Title($"{view.Organisation}: status report",
            $"Phase {Kebab.Name(dashboard.Phase)} · {N(dashboard.PercentDone)}% done · {dashboard.Remaining:N0} dependencies remain · " +
            $"as of {now.UtcDateTime:d MMMM yyyy, HH:mm} UTC{(asOf is null ? "" : " (a past view)")}");
        pdf.Text(Verdict(dashboard, mailboxes, others));

        pdf.Heading("Progress");
        pdf.Table([("Category", 3, false), ("Done", 1, true), ("Total", 1, true), ("Percent", 1, true)],
            dashboard.Progress.Select(p => (IReadOnlyList<string>)[Category(p.Category), p.Done.ToString("N0", En), p.Total.ToString("N0", En), $"{N(p.Percent)}%"]));
        pdf.Text($"Cleared per day: {N(dashboard.Velocity.Last7Days)} (last 7 days), {N(dashboard.Velocity.Last28Days)} (last 28 days). " +
                 $"Forecast completion: {dashboard.Forecast.CompletionDate?.ToString("yyyy-MM-dd", En) ?? "none"}. {dashboard.Forecast.Basis}", 9, XColor.FromArgb(90, 100, 115));

        pdf.Heading("Burn-down");
        BurnDown(pdf, dashboard);

        pdf.Heading("Waves: plan against actual");
        if (dashboard.Waves.Count == 0) pdf.Text("No waves planned.");
        else pdf.Table([("Wave", 3, false), ("Planned", 2.6, false), ("State", 1.3, false), ("Done", 1.2, true), ("Stalled", 1, true), ("Forecast", 1.4, false), ("Slips", 1, true)],
            dashboard.Waves.Select(w => (IReadOnlyList<string>)[w.Name, $"{Day(w.PlannedStart)} → {Day(w.PlannedCompletion)}", Kebab.Name(w.State),
                $"{w.Mailboxes.Completed}/{w.Mailboxes.Total}", w.Mailboxes.Stalled.ToString(En), w.ForecastCompletion?.ToString("yyyy-MM-dd", En) ?? "—",
                w.Reschedules.Count == 0 ? "" : $"{w.Reschedules.Count} (+{N(w.Reschedules.Sum(r => r.SlipDays))} d)"]));

        pdf.Heading("Top risks");
        if (dashboard.Risks.Count == 0) pdf.Text("No risks.");
        else pdf.Table([("Risk", 1.6, false), ("Item", 2, false), ("Detail", 5, false)],
            dashboard.Risks.Take(12).Select(r => (IReadOnlyList<string>)[r.Kind.Replace('-', ' '), r.Item, r.Detail]));
        if (dashboard.Risks.Count > 12) pdf.Text($"… and {dashboard.Risks.Count - 12} more on the dashboard.", 8.5);

        pdf.Heading("Remaining dependencies");
        var items = mailboxes.Page.Concat(others).GroupBy(i => i.Category).ToList();
        pdf.Table([("Category", 1.6, false), ("Remaining", 1, true), ("First items", 6, false)],
            items.Select(g => (IReadOnlyList<string>)[Category(g.Key), (g.Key == Categories.Mailboxes ? mailboxes.Count : g.Count()).ToString("N0", En),
                string.Join("; ", g.Take(5).Select(i => $"{i.Name}: {i.Reason}")) + (g.Key == Categories.Mailboxes ? mailboxes.Count : g.Count()) switch { > 5 and var n => $"; … {n - 5} more", _ => "" }]));

        pdf.Heading("Support cases");
        var cases = dashboard.SupportCases;
        pdf.Text($"{cases.Open} open of {cases.Total}; oldest open {(cases.OldestOpenAgeDays is { } age ? $"{N(age)} days" : "—")}; " +
                 $"{cases.AwaitingFirstResponse} waiting more than 2 days for a first response; median hours to first response " +
                 $"{(cases.MedianHoursToFirstResponse is { } median ? N(median) : "—")}.");
        var open = view.Cases.Values.Where(c => c.OpenAt(now)).OrderBy(c => c.OpenedAt).Take(10).ToList();
        if (open.Count > 0)
            pdf.Table([("Case", 4, false), ("Severity", 1, false), ("Opened", 1.3, false), ("Age (days)", 1.1, true), ("First response", 1.4, false)],
                open.Select(c => (IReadOnlyList<string>)[c.Title, Kebab.Name(c.Severity), Day(c.OpenedAt), N((decimal)(now - c.OpenedAt).TotalDays), Day(c.FirstResponseAt)]));

        pdf.Heading("Role impacts (hours per month)");
        pdf.Table([("Role", 2.4, false), ("Baseline", 1, true), ("Now", 1, true), ("Change", 1, true), ("Why", 4.6, false)],
            roles.Roles.Select(r => (IReadOnlyList<string>)[r.Role.Replace('-', ' '), N(r.Baseline), N(r.Current), $"{(r.Change > 0 ? "+" : "")}{N(r.Change)}",
                string.Join("; ", r.Drivers.Take(3))]));
        return pdf.Save();
    }

    /// <summary>The portfolio: one row per transition, as the portfolio view gives them.</summary>
    public static byte[] Portfolio(string tenant, PortfolioView portfolio, DateTimeOffset now)
    {
        using var pdf = new PdfCanvas($"{tenant}: portfolio report", $"Portfolio of {tenant} · as of {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        pdf.Title("Portfolio status report", $"{portfolio.Total} transition(s) · as of {now.UtcDateTime:d MMMM yyyy, HH:mm} UTC");
        pdf.Table([("Organisation", 3, false), ("Phase", 1.4, false), ("Done", 1, true), ("Remaining", 1.1, true), ("Cases", 0.9, true), ("Late waves", 1, true),
                ("Stalled", 0.9, true), ("Forecast", 1.4, false), ("Planned", 1.4, false)],
            portfolio.Transitions.Select(r => (IReadOnlyList<string>)[r.Organisation, Kebab.Name(r.Phase), $"{N(r.PercentDone)}%", r.RemainingDependencies.ToString("N0", En),
                r.OpenSupportCases.ToString(En), r.LateWaves.ToString(En), r.StalledMoves.ToString(En), r.ForecastCompletion?.ToString("yyyy-MM-dd", En) ?? "—",
                r.PlannedCompletion?.ToString("yyyy-MM-dd", En) ?? "—"]));
        if (portfolio.Transitions.Count < portfolio.Total)
            pdf.Text($"The first {portfolio.Transitions.Count} of {portfolio.Total} by organisation; ask for more with limit and after.", 8.5);
        return pdf.Save();
    }

    private static string Verdict(DashboardView dashboard, RemainingMailboxes mailboxes, IReadOnlyList<DependencyItem> others)
    {
        var keeping = others.Where(i => i.KeepsExchange).GroupBy(i => i.Category).ToDictionary(g => g.Key, g => g.Count());
        if (mailboxes.Count > 0) keeping[Categories.Mailboxes] = mailboxes.Count;
        var why = ExchangeRule.WhyItStays(keeping);
        return why.Count == 0 ? "Exchange can be decommissioned." : $"Exchange cannot be decommissioned yet: {string.Join("; ", why)}.";
    }

    private static void BurnDown(PdfCanvas pdf, DashboardView dashboard)
    {
        var points = dashboard.BurnDown;
        if (points.Count == 0)
        {
            pdf.Text("Nothing recorded yet.");
            return;
        }
        var days = points.Select(p => p.Date).ToList();
        var forecast = dashboard.Forecast.CompletionDate is { } end && end > days[^1] && end.DayNumber - days[^1].DayNumber <= 365 ? end : (DateOnly?)null;
        if (forecast is { } last) days.Add(last);
        double? At(int i, Func<BurnDownPoint, double?> value) => i < points.Count ? value(points[i]) : null;
        var range = Enumerable.Range(0, days.Count).ToList();
        pdf.LineChart(days,
        [
            ("Remaining", XColor.FromArgb(29, 78, 216), false, range.Select(i => At(i, p => p.Remaining)).ToList()),
            ("Scope", XColor.FromArgb(148, 163, 184), false, range.Select(i => At(i, p => p.Scope)).ToList()),
            .. points.Any(p => p.Planned is not null)
                ? new[] { ("Planned (waves)", XColor.FromArgb(29, 127, 70), true, (IReadOnlyList<double?>)range.Select(i => At(i, p => (double?)p.Planned)).ToList()) }
                : [],
            .. forecast is null ? [] : new[] { ("Forecast", XColor.FromArgb(180, 83, 9), true,
                (IReadOnlyList<double?>)range.Select(i => i == points.Count - 1 ? points[^1].Remaining : i == days.Count - 1 ? 0 : (double?)null).ToList()) },
        ]);
    }

    private static string Category(string category) => category switch
    {
        Categories.Mailboxes => "Mailboxes", Categories.Devices => "Relay devices", Categories.UnknownSenders => "Unknown senders",
        Categories.HybridEndpoints => "Hybrid endpoints", Categories.Directory => "Directory", Categories.Components => "Components", _ => "Blockers",
    };
}
