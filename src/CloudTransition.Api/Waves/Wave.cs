using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;
using Marten.Schema.Indexing.Unique;
using Marten.Schema;

namespace CloudTransition.Api.Waves;

/// <summary>A wave's schedule from some instant on, and why it changed (none for the first plan).</summary>
public record Schedule(DateTimeOffset At, DateTimeOffset PlannedStart, DateTimeOffset PlannedCompletion, string? Reason);

/// <summary>
/// A migration wave: a named group of mailboxes planned to move between two instants. Which mailboxes are in it is each
/// mailbox's own state (<see cref="Mailboxes.Mailbox.WaveId"/>); the views count them.
/// </summary>
public sealed record Wave : ItemState
{
    public string WaveId { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>The name as compared: names are unique per transition in any case (a unique index says so).</summary>
    public string NameKey { get; init; } = "";
    public string? Description { get; init; }

    /// <summary>The plan and every reschedule, by when it was made: the latest holds, the rest are the slips.</summary>
    public ImmutableList<Schedule> Schedules { get; init; } = [];

    [JsonIgnore] public Schedule Current => Schedules[^1];

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(WavePlanned), typeof(WaveRescheduled)];

    /// <summary>The first plan is dated by its event too, so a reschedule arriving first still folds to the same state.</summary>
    public static Wave? Fold(Wave? wave, object e) => e switch
    {
        WavePlanned p => ((wave ?? new Wave()) with
        {
            TransitionId = p.TransitionId, WaveId = p.WaveId, Name = p.Name, NameKey = Key(p.Name), Description = p.Description,
            Ledger = (wave?.Ledger ?? Ledger.Empty).Create(p.OccurredAt).Ledger,
        }).Scheduled(new Schedule(p.OccurredAt, p.PlannedStart, p.PlannedCompletion, null)),
        WaveRescheduled r => (wave ?? new Wave { TransitionId = r.TransitionId, WaveId = r.WaveId })
            .Scheduled(new Schedule(r.OccurredAt, r.PlannedStart, r.PlannedCompletion, r.Reason)),
        _ => wave,
    };

    private Wave Scheduled(Schedule schedule) => this with
    {
        Schedules = Schedules.Add(schedule).Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Reason is null ? -1 : b.Reason is null ? 1
            : string.CompareOrdinal($"{a.PlannedCompletion:O}{a.Reason}", $"{b.PlannedCompletion:O}{b.Reason}")),
    };

    public static string Key(string name) => name.Trim().ToLowerInvariant();

    public static string StreamKey(string transitionId, string waveId) => $"{TransitionStreams.Prefix(transitionId)}wave/{waveId}";
}

public static class WaveDocuments
{
    public static void AddWaveDocuments(this StoreOptions opts)
    {
        opts.AddItemState<Wave>(Wave.Fold, Wave.Events, w => w.TransitionId);
        // Two plans of the same name at once: the second transaction fails on this index (409), whatever the decider read.
        opts.Schema.For<Wave>().UniqueIndex(UniqueIndexType.Computed, "wave_name_per_transition", TenancyScope.PerTenant, w => w.TransitionId, w => w.NameKey);
    }
}

public static class WaveLookup
{
    /// <summary>The transition's wave of this name, in any case.</summary>
    public static Task<Wave?> WaveNamed(this IQuerySession session, string transitionId, string name)
    {
        var key = Wave.Key(name);
        return session.Query<Wave>().Where(w => w.TransitionId == transitionId && w.NameKey == key).FirstOrDefaultAsync()!;
    }

    public static Task<Wave?> WaveById(this IQuerySession session, string transitionId, string waveId) =>
        session.LoadAsync<Wave>(Wave.StreamKey(transitionId, waveId))!;
}
