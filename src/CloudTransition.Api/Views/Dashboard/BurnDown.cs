using CloudTransition.Api.Common;

namespace CloudTransition.Api.Views.Dashboard;

public record BurnDownPoint(DateOnly Date, int Remaining);

/// <summary>Remaining dependencies over event time, from every item's dependency flips.</summary>
public class BurnDown
{
    private readonly List<(DateTimeOffset At, int Delta)> _changes;

    public BurnDown(TransitionView view)
    {
        _changes = view.Mailboxes.Changes.Select(c => (DateTimeOffset.FromUnixTimeMilliseconds(c.Key), c.Value)).ToList();
        foreach (var (ledger, weight) in Weighted(view))
            _changes.AddRange(ledger.DependencyChanges().Select(c => (c.At, c.Delta * weight)));
        _changes.Sort((a, b) => a.At.CompareTo(b.At));
    }

    /// <summary>Each item counts once, but directory sync counts twice: on-prem AD and the sync server. Mailboxes come tallied.</summary>
    private static IEnumerable<(Ledger Ledger, int Weight)> Weighted(TransitionView v) =>
        v.Devices.Values.Select(d => d.Ledger).Concat(v.Hybrid.Endpoints.Select(e => e.Ledger)).Concat(v.Components.Values.Select(c => c.Ledger))
            .Concat(v.Blockers.Values.Select(b => b.Ledger)).Select(l => (l, 1)).Append((v.Directory.Ledger, DashboardRules.DirectoryWeight));

    public int RemainingAt(DateTimeOffset at) => _changes.TakeWhile(c => c.At <= at).Sum(c => c.Delta);

    /// <summary>Remaining at the end of each day (UTC) from the first change to the day of `now`.</summary>
    public IReadOnlyList<BurnDownPoint> Daily(DateTimeOffset now)
    {
        if (_changes.Count == 0) return [];
        var points = new List<BurnDownPoint>();
        var (index, remaining) = (0, 0);
        for (var day = DateOnly.FromDateTime(_changes[0].At.UtcDateTime); day <= DateOnly.FromDateTime(now.UtcDateTime); day = day.AddDays(1))
        {
            var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var cutoff = end < now ? end : now;
            while (index < _changes.Count && _changes[index].At < cutoff) remaining += _changes[index++].Delta;
            if (cutoff == now) while (index < _changes.Count && _changes[index].At == now) remaining += _changes[index++].Delta;
            points.Add(new BurnDownPoint(day, remaining));
        }
        return points;
    }
}
