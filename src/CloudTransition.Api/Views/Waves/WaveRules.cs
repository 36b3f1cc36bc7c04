using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Waves;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views.Waves;

public enum WaveState { Planned, InProgress, Completed, Late }

/// <param name="Total">The wave's mailboxes.</param>
/// <param name="NotStarted">Not queued yet.</param>
/// <param name="Queued">Queued.</param>
/// <param name="Syncing">Queued, syncing or synced: started and neither completed nor failed.</param>
/// <param name="Synced">Synced, awaiting completion.</param>
/// <param name="Completed">Completed: in Exchange Online.</param>
/// <param name="Failed">Failed.</param>
/// <param name="Stalled">Of those in flight, the stalled ones (as of the read).</param>
public record WaveMailboxCounts(int Total, int NotStarted, int Queued, int Syncing, int Synced, int Completed, int Failed, int Stalled);

/// <summary>A change of a wave's schedule: when it was made, the new dates, why, and how many days it moved the completion.</summary>
public record WaveReschedule(DateTimeOffset At, DateTimeOffset PlannedStart, DateTimeOffset PlannedCompletion, string Reason, decimal SlipDays);

/// <summary>A wave, plan against actual, as of the read's instant.</summary>
/// <param name="WaveId">The id its URL uses.</param>
/// <param name="Name">As first entered.</param>
/// <param name="Description">Who is in it and why.</param>
/// <param name="PlannedStart">The current plan's start.</param>
/// <param name="PlannedCompletion">The current plan's completion.</param>
/// <param name="State">planned, in-progress, completed, or late: past its planned completion with mailboxes not completed (a wave without mailboxes is planned, whatever the date).</param>
/// <param name="Mailboxes">Its mailboxes by move status.</param>
/// <param name="PercentDone">Completed mailboxes, percent of its mailboxes.</param>
/// <param name="ForecastBasis">How the forecast was made, or why there is none.</param>
/// <param name="Reschedules">Each change of its schedule, oldest first.</param>
/// <param name="StartedAt">When its first move was reported.</param>
/// <param name="CompletedAt">When its last mailbox completed, once all have.</param>
/// <param name="ForecastCompletion">The day (UTC) it completes at its own pace (completed moves per day since it started); null with the reason in `forecastBasis`.</param>
/// <param name="Blackouts">The blackout windows its planned completion falls in: a risk.</param>
public record WaveView(string WaveId, string Name, string? Description, DateTimeOffset PlannedStart, DateTimeOffset PlannedCompletion,
    WaveState State, WaveMailboxCounts Mailboxes, decimal PercentDone, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    DateOnly? ForecastCompletion, string ForecastBasis, IReadOnlyList<WaveReschedule> Reschedules, IReadOnlyList<string> Blackouts);

/// <summary>The one place that says what a wave's state, counts and forecast are, from the transition's view as of an instant.</summary>
public static class WaveRules
{
    /// <summary>The waves planned by then (the view's own, or <paramref name="waves"/> read live), by planned start, then name.</summary>
    public static IReadOnlyList<WaveView> All(TransitionView v, DateTimeOffset at, IEnumerable<Wave>? waves = null) =>
        (waves ?? v.Waves.Values).Where(w => w.Ledger.Known).OrderBy(w => w.Current.PlannedStart).ThenBy(w => w.NameKey, StringComparer.Ordinal)
            .Select(w => Of(v, w, at)).ToList();

    public static WaveView Of(TransitionView v, Wave wave, DateTimeOffset at)
    {
        var tally = v.Mailboxes.Waves.GetValueOrDefault(wave.WaveId) ?? new WaveTally();
        var stalled = v.Mailboxes.Stallable.Values.Count(m => m.WaveId == wave.WaveId && m.Clock.StalledAt(at, v.StallAfter));
        var counts = new WaveMailboxCounts(tally.Total, tally.Of(MoveStatus.NotStarted), tally.Of(MoveStatus.Queued),
            tally.Of(MoveStatus.Queued) + tally.Of(MoveStatus.Syncing) + tally.Of(MoveStatus.Synced), tally.Of(MoveStatus.Synced),
            tally.Of(MoveStatus.Completed), tally.Of(MoveStatus.Failed), stalled);
        var plan = wave.Current;
        DateTimeOffset? started = tally.Started.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(tally.Started.Keys.Min());
        DateTimeOffset? completed = counts.Total > 0 && counts.Completed == counts.Total ? DateTimeOffset.FromUnixTimeMilliseconds(tally.Completions.Keys.Max()) : null;
        var state = completed is not null ? WaveState.Completed
            : counts.Total == 0 ? WaveState.Planned
            : at > plan.PlannedCompletion ? WaveState.Late
            : at >= plan.PlannedStart || started is not null ? WaveState.InProgress
            : WaveState.Planned;
        var (forecast, basis) = Forecast(counts, started, completed, at, plan.PlannedStart);
        return new WaveView(wave.WaveId, wave.Name, wave.Description, plan.PlannedStart, plan.PlannedCompletion, state, counts,
            counts.Total == 0 ? 0 : Math.Round(100m * counts.Completed / counts.Total, 1), started, completed, forecast, basis,
            Reschedules(wave), v.Blackouts.Values.Where(b => b.Covers(plan.PlannedCompletion)).OrderBy(b => b.Start).Select(b => b.Name).ToList());
    }

    private const int MaxForecastDays = 3653;

    private static (DateOnly?, string) Forecast(WaveMailboxCounts counts, DateTimeOffset? started, DateTimeOffset? completed, DateTimeOffset at, DateTimeOffset plannedStart)
    {
        if (completed is { } done) return (DateOnly.FromDateTime(done.UtcDateTime), "Every mailbox of the wave has completed.");
        if (counts.Total == 0) return (null, "The wave has no mailboxes.");
        if (started is null || counts.Completed == 0) return (null, "No move of the wave has completed yet, so it has no pace.");
        // A pilot mailbox moved long before the wave was planned does not stretch the wave's pace back to then.
        var since = started < plannedStart && at > plannedStart ? plannedStart : started.Value;
        var pace = counts.Completed / Math.Max((at - since).TotalDays, 1d / 24);
        var remaining = counts.Total - counts.Completed;
        var days = Math.Ceiling(remaining / pace);
        if (days > MaxForecastDays) return (null, $"{remaining} mailbox(es) remaining at {pace:0.####} completed per day: more than ten years, so no date is given.");
        return (DateOnly.FromDateTime(at.UtcDateTime).AddDays((int)days),
            $"{remaining} mailbox(es) remaining at the wave's own pace of {pace:0.##} completed per day since {since:u}.");
    }

    private static IReadOnlyList<WaveReschedule> Reschedules(Wave wave) =>
        wave.Schedules.Skip(1).Select((s, i) => new WaveReschedule(s.At, s.PlannedStart, s.PlannedCompletion, s.Reason ?? "",
            Math.Round((decimal)(s.PlannedCompletion - wave.Schedules[i].PlannedCompletion).TotalDays, 1))).ToList();

    /// <summary>How many of the wave's mailboxes its schedule says are done by <paramref name="at"/>: linear from planned start to planned completion.</summary>
    public static decimal PlannedDone(WaveView wave, DateTimeOffset at)
    {
        if (at <= wave.PlannedStart) return 0;
        if (at >= wave.PlannedCompletion) return wave.Mailboxes.Total;
        return wave.Mailboxes.Total * (decimal)((at - wave.PlannedStart) / (wave.PlannedCompletion - wave.PlannedStart));
    }

    /// <summary>The moves stalled as of <paramref name="at"/>, by address.</summary>
    public static IEnumerable<(string Address, StallableMove Move)> Stalled(TransitionView v, DateTimeOffset at) =>
        v.Mailboxes.Stallable.Where(m => m.Value.Clock.StalledAt(at, v.StallAfter)).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, m.Value));
}
