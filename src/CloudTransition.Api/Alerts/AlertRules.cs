using CloudTransition.Api.Views;
using CloudTransition.Api.Views.Dashboard;
using CloudTransition.Api.Views.Dependencies;
using CloudTransition.Api.Views.Waves;
using CloudTransition.Api.SupportCases;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Alerts;

/// <summary>An alert that is true now; the same kind and subject is the same occurrence for as long as it stays true.</summary>
public record Alert(string Kind, string Subject, string Detail)
{
    public string Key => Of(Kind, Subject);
    public static string Of(string kind, string subject) => $"{kind}|{subject}";
}

/// <summary>An alert raised and not cleared (as the views fold it from the events).</summary>
public record OpenAlert(string Kind, string Subject, string Detail, DateTimeOffset RaisedAt);

/// <summary>`Alerts` settings: how often the alerts are evaluated, and the first-response targets of support cases by severity.</summary>
public sealed class AlertOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Severity A: clock hours (Microsoft answers A cases around the clock).</summary>
    public double SeverityAHours { get; set; } = 2;
    /// <summary>Severities B and C: business hours.</summary>
    public double SeverityBBusinessHours { get; set; } = 4;
    public double SeverityCBusinessHours { get; set; } = 8;
    /// <summary>The business day, Monday to Friday, in UTC hours.</summary>
    public int BusinessDayStartsAt { get; set; } = 9;
    public int BusinessDayEndsAt { get; set; } = 17;
}

/// <summary>Which alerts are true of a transition at an instant: each from the rule its view or dashboard already uses.</summary>
public static class AlertRules
{
    public static readonly TimeSpan RestartOverdueAfter = TimeSpan.FromHours(24);

    public static IReadOnlyList<Alert> Of(TransitionView v, DateTimeOffset now, AlertOptions options)
    {
        var alerts = new List<Alert>();
        alerts.AddRange(WaveRules.All(v, now).Where(w => w.State == WaveState.Late).Select(w => new Alert("wave.late", w.WaveId,
            $"Wave {w.Name} was planned to complete by {w.PlannedCompletion:u}; {w.Mailboxes.Total - w.Mailboxes.Completed} of its {w.Mailboxes.Total} mailboxes are not completed.")));
        alerts.AddRange(WaveRules.Stalled(v, now).Select(m => new Alert("move.stalled", m.Address, $"The move of {m.Address} has stalled.")));
        alerts.AddRange(v.Hybrid.Endpoints.Where(e => e.PendingRestart && now - e.ConfiguredAt >= RestartOverdueAfter).Select(e => new Alert("endpoint.restart-overdue", e.Server,
            $"Hybrid endpoint {e.Server} has not been restarted since the Hybrid Configuration Wizard ran at {e.ConfiguredAt:u}: Autodiscover and free/busy fail until it is.")));
        alerts.AddRange(ExpiringDevices.Of(v, now).Select(d => new Alert("device-method-expiring", d.DeviceId,
            $"{d.Name} sends by {Common.Kebab.Name(d.Method)}, which stops working on {d.StopsOn:yyyy-MM-dd}; move it to {Common.Kebab.Name(d.Recommended)}.")));
        alerts.AddRange(v.Cases.Values.Where(c => FirstResponseOverdue(c, now, options)).Select(c => new Alert("support-case.first-response-overdue", c.CaseId,
            $"Case '{c.Title}' ({c.Vendor}, severity {c.Severity}) opened {c.OpenedAt:u} has had no first response by its target, {FirstResponseDue(c, options):u}.")));
        if (DecommissionReady(v))
            alerts.Add(new Alert("exchange.decommission-ready", v.Id, "Nothing keeps the last Exchange server any more: it can be decommissioned."));
        return alerts;
    }

    /// <summary>The verdict of the dependency list, for a transition that has recorded something to move (an empty one is not "ready").</summary>
    private static bool DecommissionReady(TransitionView v) =>
        DashboardRules.Progress(v).Sum(p => p.Total) > 0 && DependencyRules.WhyExchangeStays(DependencyRules.Others(v), v.Mailboxes.Remaining).Count == 0;

    private static bool FirstResponseOverdue(SupportCase c, DateTimeOffset now, AlertOptions options) =>
        c.OpenAt(now) && (c.FirstResponseAt is null || c.FirstResponseAt > now) && now >= FirstResponseDue(c, options);

    /// <summary>When a case's first response is due: severity A in clock hours, B and C in business hours.</summary>
    public static DateTimeOffset FirstResponseDue(SupportCase c, AlertOptions o) => c.Severity switch
    {
        CaseSeverity.A => c.OpenedAt.AddHours(o.SeverityAHours),
        CaseSeverity.B => BusinessHours(c.OpenedAt, o.SeverityBBusinessHours, o),
        _ => BusinessHours(c.OpenedAt, o.SeverityCBusinessHours, o),
    };

    /// <summary>The instant <paramref name="hours"/> business hours after <paramref name="from"/> (Monday to Friday, the business day in UTC).</summary>
    public static DateTimeOffset BusinessHours(DateTimeOffset from, double hours, AlertOptions o)
    {
        var at = from.ToUniversalTime();
        var left = TimeSpan.FromHours(hours);
        while (true)
        {
            var day = new DateTimeOffset(at.Date, TimeSpan.Zero);
            var (opens, closes) = (day.AddHours(o.BusinessDayStartsAt), day.AddHours(o.BusinessDayEndsAt));
            if (at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || at >= closes) { at = day.AddDays(1).AddHours(o.BusinessDayStartsAt); continue; }
            if (at < opens) at = opens;
            if (at + left <= closes) return at + left;
            left -= closes - at;
            at = day.AddDays(1).AddHours(o.BusinessDayStartsAt);
        }
    }
}
