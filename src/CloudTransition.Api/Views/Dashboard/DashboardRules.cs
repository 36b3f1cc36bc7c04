using CloudTransition.Api.RelayDiscovery;
using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.SupportCases;
using CloudTransition.Api.Views.Waves;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views.Dashboard;

public record CategoryProgress(string Category, int Done, int Total, decimal Percent);

public record Risk(string Kind, string Item, string Detail);

public record ChannelFigures(int Open, int Total, decimal? MedianHoursToFirstResponse);

public record CaseFigures(int Open, int Total, decimal? OldestOpenAgeDays, decimal? MedianHoursToFirstResponse,
    int AwaitingFirstResponse, int OpenedFridayAfternoon, IReadOnlyDictionary<string, ChannelFigures> ByChannel);

public record DashboardView(string TransitionId, string Organisation, TransitionPhase Phase, DateTimeOffset? AsOf, DateTimeOffset Now,
    decimal PercentDone, int Remaining, IReadOnlyList<CategoryProgress> Progress, IReadOnlyList<BurnDownPoint> BurnDown,
    Velocity Velocity, Forecast Forecast, IReadOnlyList<Risk> Risks, CaseFigures SupportCases, IReadOnlyList<WaveView> Waves, int StalledMoves,
    int UnknownSenders, IReadOnlyList<ExpiringDevice> ExpiringDevices, IReadOnlyList<Alerts.OpenAlert> Alerts);

public static class DashboardRules
{
    public static readonly TimeSpan FirstResponseWait = TimeSpan.FromDays(2);

    public static DashboardView Of(TransitionView v, DateTimeOffset now, DateTimeOffset? asOf)
    {
        var progress = Progress(v);
        var (done, total) = (progress.Sum(p => p.Done), progress.Sum(p => p.Total));
        var burnDown = new BurnDown(v);
        var remaining = total - done;
        var velocity = ForecastRules.VelocityOf(burnDown, now);
        var waves = WaveRules.All(v, now);
        return new DashboardView(v.Id, v.Organisation, v.Phase, asOf, now, Percent(done, total), remaining, progress,
            burnDown.Daily(now, waves), velocity, ForecastRules.Of(remaining, velocity, v.FirstEventAt, now), Risks(v, waves, now), Cases(v, now),
            waves, WaveRules.Stalled(v, now).Count(), UnknownSenders(v).Count(), ExpiringDevices.Of(v, now), v.Alerts.Values.OrderBy(a => a.RaisedAt).ToList());
    }

    public static IReadOnlyList<CategoryProgress> Progress(TransitionView v)
    {
        CategoryProgress Of(string category, IEnumerable<Ledger> items, int weight = 1)
        {
            var known = items.Where(i => i.Known).ToList();
            return Counted(category, known.Count(i => !i.IsDependency) * weight, known.Count * weight);
        }
        CategoryProgress Counted(string category, int done, int total) => new(category, done, total, Percent(done, total));
        return
        [
            Counted(Categories.Mailboxes, v.Mailboxes.Moved, v.Mailboxes.Known), Of(Categories.Devices, v.Devices.Values.Select(d => d.Ledger)),
            Of(Categories.HybridEndpoints, v.Hybrid.Endpoints.Select(e => e.Ledger)), Of(Categories.Directory, [v.Directory.Ledger], DirectoryWeight),
            Of(Categories.Components, v.Components.Values.Select(c => c.Ledger)), Of(Categories.Blockers, v.Blockers.Values.Select(b => b.Ledger)),
            Counted(Categories.UnknownSenders, v.SendersWithDevices.Count(p => SenderRules.ClearedAt(p.Sender, p.Device) is not null), v.Senders.Count),
        ];
    }

    /// <summary>Directory sync keeps two things on-premises (AD and the sync server): it counts twice in progress and the burn-down.</summary>
    public const int DirectoryWeight = 2;

    private static decimal Percent(int done, int total) => total == 0 ? 0 : Math.Round(100m * done / total, 1);

    public static IReadOnlyList<Risk> Risks(TransitionView v, IReadOnlyList<WaveView> waves, DateTimeOffset now)
    {
        var risks = new List<Risk>();
        risks.AddRange(waves.Where(w => w.State == WaveState.Late).Select(w => new Risk("wave-late", w.Name,
            $"Planned to complete {w.PlannedCompletion:u}; {w.Mailboxes.Total - w.Mailboxes.Completed} of {w.Mailboxes.Total} mailbox(es) not completed.")));
        risks.AddRange(waves.Where(w => w.State != WaveState.Completed && w.Blackouts.Count > 0).Select(w => new Risk("wave-in-blackout", w.Name,
            $"Planned to complete {w.PlannedCompletion:u}, inside the blackout window {string.Join(", ", w.Blackouts.Select(b => $"'{b}'"))}.")));
        var waveNames = v.Waves.Values.ToDictionary(w => w.WaveId, w => w.Name);
        risks.AddRange(WaveRules.Stalled(v, now).Select(m => new Risk("move-stalled", m.Address,
            $"Stalled: {m.Move.Clock.Why(v.StallAfter)}{(m.Move.WaveId is { } id && waveNames.TryGetValue(id, out var wave) ? $" (wave '{wave}')" : "")}.")));
        risks.AddRange(v.Hybrid.Endpoints.Where(e => e.PendingRestart).OrderBy(e => e.Server, StringComparer.Ordinal).Select(e => new Risk("endpoint-pending-restart", e.Server,
            $"Not rebooted or iisreset since the Hybrid Configuration Wizard ran at {e.ConfiguredAt:u}: Autodiscover and free/busy fail until it is.")));
        var day = RelayDay.Of(now, v.Settings.RelayPolicy);
        risks.AddRange(v.Devices.Values.Where(d => d.State != DeviceState.Retired && RelayAdvisor.OverLimits(d.Volumes)).OrderBy(d => d.Name)
            .Select(d => new Risk("device-over-limits", d.Name, string.Join(" ", d.Advice(day).Warnings.Where(w => w.Contains("Exchange Online"))))));
        risks.AddRange(ExpiringDevices.Of(v, now).Select(d => new Risk("device-method-expiring", d.Name,
            $"{Kebab.Name(d.Method)} stops working for it on {d.StopsOn:yyyy-MM-dd}{(d.DaysLeft > 0 ? $" (in {d.DaysLeft} days)" : " (it has stopped)")}; " +
            $"then: {string.Join(", ", d.Alternatives.Prepend(d.Recommended).Select(Kebab.Name))}.")));
        risks.AddRange(v.SendersWithDevices.Where(p => SenderRules.Status(p.Sender, p.Device) != SenderStatus.Dismissed && RelayAdvisor.OverLimits(SenderRules.Volumes(p.Sender)))
            .OrderBy(p => p.Sender.RemoteIp, StringComparer.Ordinal).Select(p => new Risk("sender-over-limits", p.Sender.RemoteIp,
                string.Join(" ", RelayAdvisor.Advise(SenderRules.Facts(p.Sender), SenderRules.Volumes(p.Sender), day).Warnings.Where(w => w.Contains("Exchange Online"))))));
        risks.AddRange(v.Mailboxes.Failed.OrderBy(m => m.Key).Select(m => new Risk("failed-move", m.Key, $"Move failed: {m.Value}")));
        risks.AddRange(v.Cases.Values.Where(c => AwaitingFirstResponse(c, now)).OrderBy(c => c.OpenedAt)
            .Select(c => new Risk("case-awaiting-first-response", c.Title, $"Opened {c.OpenedAt:u} ({Kebab.Name(c.Channel)}), no first response after {(now - c.OpenedAt).TotalDays:0.#} days.")));
        return risks;
    }

    private static IEnumerable<RelaySender> UnknownSenders(TransitionView v) =>
        v.SendersWithDevices.Where(p => SenderRules.Status(p.Sender, p.Device) == SenderStatus.Unknown).Select(p => p.Sender);

    private static bool AwaitingFirstResponse(SupportCase c, DateTimeOffset now) =>
        c.OpenAt(now) && (c.FirstResponseAt is null || c.FirstResponseAt > now) && now - c.OpenedAt > FirstResponseWait;

    public static CaseFigures Cases(TransitionView v, DateTimeOffset now)
    {
        var cases = v.Cases.Values.Where(c => c.OpenedAt <= now).ToList();
        var open = cases.Where(c => c.OpenAt(now)).ToList();
        var byChannel = Enum.GetValues<SupportChannel>().ToDictionary(Kebab.Name, channel =>
        {
            var of = cases.Where(c => c.Channel == channel).ToList();
            return new ChannelFigures(of.Count(c => c.OpenAt(now)), of.Count, MedianHoursToFirstResponse(of));
        });
        return new CaseFigures(open.Count, cases.Count,
            open.Count == 0 ? null : Math.Round((decimal)open.Max(c => (now - c.OpenedAt).TotalDays), 1),
            MedianHoursToFirstResponse(cases), cases.Count(c => AwaitingFirstResponse(c, now)),
            cases.Count(c => c.OpenedAt.DayOfWeek == DayOfWeek.Friday && c.OpenedAt.Hour >= 16), byChannel);
    }

    private static decimal? MedianHoursToFirstResponse(IEnumerable<SupportCase> cases)
    {
        var hours = cases.Where(c => c.FirstResponseAt is not null).Select(c => (decimal)(c.FirstResponseAt!.Value - c.OpenedAt).TotalHours).Order().ToList();
        if (hours.Count == 0) return null;
        var middle = hours.Count / 2;
        return Math.Round(hours.Count % 2 == 1 ? hours[middle] : (hours[middle - 1] + hours[middle]) / 2, 1);
    }
}
