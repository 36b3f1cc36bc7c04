using CloudTransition.Api.RelayDiscovery;
using CloudTransition.Api.Common;
using CloudTransition.Api.Views.Waves;

namespace CloudTransition.Api.Views.Dashboard;

/// <param name="Date">The day (UTC); the last point is today, as of the read.</param>
/// <param name="Remaining">Dependencies remaining at the end of the day.</param>
/// <param name="Scope">Everything known by then, cleared or not: it rises when items are added (a second inventory), which is not negative progress.</param>
/// <param name="Planned">What the waves' schedules (as they stand at the read) said would remain then; null when the transition has no waves.</param>
public record BurnDownPoint(DateOnly Date, int Remaining, int Scope, decimal? Planned);

/// <summary>Remaining dependencies and total scope over event time, from every item's ledger.</summary>
public class BurnDown
{
    private readonly List<(DateTimeOffset At, int Delta)> _changes, _scope;

    public BurnDown(TransitionView view)
    {
        _changes = Instants(view.Mailboxes.Changes);
        _scope = Instants(view.Mailboxes.Scope);
        foreach (var (ledger, weight) in Weighted(view))
        {
            _changes.AddRange(ledger.DependencyChanges().Select(c => (c.At, c.Delta * weight)));
            if (ledger.KnownSince is { } known) _scope.Add((known, weight));
        }
        foreach (var (sender, device) in view.SendersWithDevices)
        {
            if (sender.Ledger.KnownSince is not { } seen) continue;
            _scope.Add((seen, 1));
            _changes.Add((seen, 1));
            if (SenderRules.ClearedAt(sender, device) is { } cleared) _changes.Add((cleared > seen ? cleared : seen, -1));
        }
        _changes.Sort((a, b) => a.At.CompareTo(b.At));
        _scope.Sort((a, b) => a.At.CompareTo(b.At));
    }

    private static List<(DateTimeOffset, int)> Instants(Dictionary<long, int> counts) =>
        counts.Select(c => (DateTimeOffset.FromUnixTimeMilliseconds(c.Key), c.Value)).ToList();

    /// <summary>Each item counts once, but directory sync counts twice: on-prem AD and the sync server. Mailboxes come tallied.</summary>
    private static IEnumerable<(Ledger Ledger, int Weight)> Weighted(TransitionView v) =>
        v.Devices.Values.Select(d => d.Ledger).Concat(v.Hybrid.Endpoints.Select(e => e.Ledger)).Concat(v.Components.Values.Select(c => c.Ledger))
            .Concat(v.Blockers.Values.Select(b => b.Ledger)).Select(l => (l, 1)).Append((v.Directory.Ledger, DashboardRules.DirectoryWeight));

    public int RemainingAt(DateTimeOffset at) => SumTo(_changes, at);
    public int ScopeAt(DateTimeOffset at) => SumTo(_scope, at);

    /// <summary>What had been cleared by then: the scope less what remained (so items added later do not count against it).</summary>
    public int ClearedAt(DateTimeOffset at) => ScopeAt(at) - RemainingAt(at);

    private static int SumTo(List<(DateTimeOffset At, int Delta)> changes, DateTimeOffset at) => changes.TakeWhile(c => c.At <= at).Sum(c => c.Delta);

    /// <summary>Each day's end (UTC) from the first change to the day of `now` (whose point is `now` itself).</summary>
    public IReadOnlyList<BurnDownPoint> Daily(DateTimeOffset now, IReadOnlyList<WaveView> waves)
    {
        if (_changes.Count == 0) return [];
        var points = new List<BurnDownPoint>();
        var (remaining, scope) = (new Running(_changes), new Running(_scope));
        for (var day = DateOnly.FromDateTime(_changes[0].At.UtcDateTime); day <= DateOnly.FromDateTime(now.UtcDateTime); day = day.AddDays(1))
        {
            var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
            var cutoff = end < now ? end : now;
            var known = scope.To(cutoff);
            decimal? planned = waves.Count == 0 ? null : Math.Max(0, Math.Round(known - waves.Sum(w => WaveRules.PlannedDone(w, cutoff)), 1));
            points.Add(new BurnDownPoint(day, remaining.To(cutoff), known, planned));
        }
        return points;
    }

    /// <summary>A running sum over sorted changes, read at increasing instants.</summary>
    private sealed class Running(List<(DateTimeOffset At, int Delta)> changes)
    {
        private int _index, _sum;

        public int To(DateTimeOffset at)
        {
            while (_index < changes.Count && changes[_index].At <= at) _sum += changes[_index++].Delta;
            return _sum;
        }
    }
}
