using System.Text.Json.Serialization;
using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Mailboxes;

/// <summary>
/// One mailbox and its move (its latest report by occurredAt), with the detail Exchange Online last reported and the wave it
/// is in. Its own stream, so moves of different mailboxes never contend; kept inline for lists and the write side, and
/// copied by the views (<see cref="Views.MailboxEntry"/>).
/// </summary>
public sealed record Mailbox : ItemState, IDependency
{
    public string Address { get; init; } = "";
    public MailboxKind Kind { get; init; }
    public decimal? SizeGb { get; init; }
    public MoveStatus Status { get; init; }
    public string? Batch { get; init; }
    public DateTimeOffset? BatchAt { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset InventoriedAt { get; init; }
    public DateTimeOffset? StatusChangedAt { get; init; }
    public int? PercentComplete { get; init; }
    public string? StatusDetail { get; init; }
    public long? ItemsSynced { get; init; }
    public long? ItemsSkipped { get; init; }
    public long? BadItems { get; init; }
    public long? LargeItems { get; init; }
    public DataConsistencyScore? DataConsistencyScore { get; init; }
    public DateTimeOffset? LastSyncAt { get; init; }

    /// <summary>Since when the move has been in its status with its percent and items synced unchanged: the stall clock.</summary>
    public DateTimeOffset? ProgressSince { get; init; }

    public string? WaveId { get; init; }
    public DateTimeOffset? WaveAssignedAt { get; init; }

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(MailboxInventoried), typeof(MailboxMoveStatusChanged), typeof(MailboxAssignedToWave)];

    /// <summary>A move's reports rank by its lifecycle (queued before syncing …), so same-instant reports fold the same in any order.</summary>
    public static Mailbox? Fold(Mailbox? mailbox, object e) => e switch
    {
        MailboxInventoried i => (mailbox ?? new Mailbox()).Inventoried(i),
        MailboxMoveStatusChanged moved => (mailbox ?? new Mailbox { TransitionId = moved.TransitionId, Address = moved.Address }).Moved(moved),
        MailboxAssignedToWave a => (mailbox ?? new Mailbox { TransitionId = a.TransitionId, Address = a.Address }).Assigned(a),
        _ => mailbox,
    };

    private Mailbox Inventoried(MailboxInventoried e)
    {
        var (ledger, latest) = Ledger.Create(e.OccurredAt);
        var inventoried = this with
        {
            Ledger = ledger, TransitionId = e.TransitionId, Address = e.Address, Kind = e.Kind, SizeGb = e.SizeGb, InventoriedAt = e.OccurredAt,
        };
        return latest ? inventoried with { Status = MoveStatus.NotStarted, Error = null } : inventoried;
    }

    private Mailbox Moved(MailboxMoveStatusChanged e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 1 + (int)e.Status, dependency: e.Status != MoveStatus.Completed, Tie(e));
        // Both clocks come from the ledger (the first of the latest run of like reports), so they do not depend on arrival order.
        var recorded = this with { Ledger = ledger, StatusChangedAt = ledger.SteadySince(_ => ""), ProgressSince = ledger.SteadySince(ProgressOf) };
        if (e.Batch is { } batch && (BatchAt is not { } batchAt || batchAt < e.OccurredAt || batchAt == e.OccurredAt && string.CompareOrdinal(Batch, batch) < 0))
            recorded = recorded with { Batch = batch, BatchAt = e.OccurredAt }; // the latest batch named, in event time
        if (!latest) return recorded;
        var d = e.Detail;
        return recorded with
        {
            Status = e.Status, Error = e.Status == MoveStatus.Failed ? e.Error : null,
            PercentComplete = d?.PercentComplete, StatusDetail = d?.StatusDetail, ItemsSynced = d?.ItemsSynced, ItemsSkipped = d?.ItemsSkipped,
            BadItems = d?.BadItems, LargeItems = d?.LargeItems, DataConsistencyScore = d?.DataConsistencyScore, LastSyncAt = d?.LastSyncAt,
        };
    }

    /// <summary>A report's content, progress first (percent and items synced: what <see cref="ProgressOf"/> compares), then the rest.</summary>
    private static string Tie(MailboxMoveStatusChanged e) => e.Detail is not { } d
        ? $"/|{e.Batch}|{e.Error}"
        : $"{d.PercentComplete}/{d.ItemsSynced}|{e.Batch}|{e.Error}|{d.StatusDetail}|{d.ItemsSkipped}|{d.BadItems}|{d.LargeItems}|{d.DataConsistencyScore}|{d.LastSyncAt?.ToUnixTimeMilliseconds()}";

    private static string ProgressOf(string tie) => tie[..Math.Max(0, tie.IndexOf('|'))];

    private Mailbox Assigned(MailboxAssignedToWave e) => Holds(e.WaveId, e.OccurredAt) ? this with { WaveId = e.WaveId, WaveAssignedAt = e.OccurredAt } : this;

    /// <summary>
    /// Whether an assignment to <paramref name="waveId"/> at <paramref name="at"/> is the mailbox's wave from now on: the latest by
    /// occurredAt holds (the same instant: the greater wave id), so assignments fold the same in any order.
    /// </summary>
    public bool Holds(string waveId, DateTimeOffset at) =>
        WaveAssignedAt is not { } assigned || assigned < at || assigned == at && string.CompareOrdinal(WaveId, waveId) < 0;

    /// <summary>What the stall rule reads.</summary>
    [JsonIgnore] public MoveClock Clock => new(Status, StatusDetail, ProgressSince);

    /// <summary>On-prem storage per mailbox when its size is not known, from the field notes: fast SAN per user mailbox, per resource or shared one.</summary>
    public const decimal UserMailboxGb = 55, ResourceMailboxGb = 5, SharedMailboxGb = 5;

    /// <summary>Its size, or the field notes' estimate for its kind.</summary>
    [JsonIgnore] public decimal EstimatedGb => SizeGb ?? Kind switch
    {
        MailboxKind.UserMailbox => UserMailboxGb,
        MailboxKind.ResourceMailbox => ResourceMailboxGb,
        _ => SharedMailboxGb,
    };

    public IReadOnlyList<DependencyItem> Remaining() => !IsDependency ? [] : [Line.Dependency(null)];

    /// <summary>What the dependency list shows of the mailbox.</summary>
    [JsonIgnore] public MailboxLine Line => new(Address, Status, Error, WaveId, Clock);
}

/// <summary>What the dependency list shows of a mailbox still on-premises; <paramref name="Clock"/> only for a move that may be stalled.</summary>
public record MailboxLine(string Address, MoveStatus Status, string? Error, string? WaveId, MoveClock? Clock)
{
    /// <summary>
    /// What the mailbox keeps on-premises, naming its wave and a stall when the reader knows the waves and the instant.
    /// </summary>
    public DependencyItem Dependency(MoveReading? reading)
    {
        var wave = WaveId is { } id ? reading?.WaveName(id) : null;
        var inWave = wave is null ? "" : $", wave '{wave}'";
        if (Status == MoveStatus.Failed)
            return new(Categories.Mailboxes, Address, $"move failed{inWave}: {Error}", "fix the cause and queue the move again", KeepsExchange: true, wave);
        var stalled = reading is { } r && Clock is { } clock && clock.StalledAt(r.At, r.StallAfter) ? $"; stalled: {clock.Why(r.StallAfter)}" : "";
        return new(Categories.Mailboxes, Address, $"still on-premises (move {Kebab.Name(Status)}{inWave}{stalled})",
            "complete its move to Exchange Online", KeepsExchange: true, wave);
    }
}

/// <summary>What a read knows beside a mailbox: the instant it reads as of, the stall threshold and the waves' names.</summary>
public record MoveReading(DateTimeOffset At, TimeSpan StallAfter, IReadOnlyDictionary<string, string> WaveNames)
{
    public string? WaveName(string waveId) => WaveNames.GetValueOrDefault(waveId);
}

/// <summary>
/// A mailbox as the API shows it (its URL names it by address). `stalled`: whether the move is stalled now: Exchange Online says so,
/// or it has been syncing without progress since `progressSince` for the transition's `stallAfterHours`.
/// </summary>
public record MailboxAnswer(string TransitionId, string Address, MailboxKind Kind, decimal? SizeGb, MoveStatus Status, string? Batch, string? Error,
    DateTimeOffset InventoriedAt, DateTimeOffset? StatusChangedAt, int Version, string? WaveId, int? PercentComplete, string? StatusDetail,
    long? ItemsSynced, long? ItemsSkipped, long? BadItems, long? LargeItems, DataConsistencyScore? DataConsistencyScore, DateTimeOffset? LastSyncAt,
    DateTimeOffset? ProgressSince, bool Stalled)
{
    public static MailboxAnswer Of(Mailbox m, DateTimeOffset at, TimeSpan stallAfter) => new(m.TransitionId, m.Address, m.Kind, m.SizeGb, m.Status,
        m.Batch, m.Error, m.InventoriedAt, m.StatusChangedAt, m.Version, m.WaveId, m.PercentComplete, m.StatusDetail, m.ItemsSynced, m.ItemsSkipped,
        m.BadItems, m.LargeItems, m.DataConsistencyScore, m.LastSyncAt, m.ProgressSince, m.Clock.StalledAt(at, stallAfter));
}

public static class MailboxDocuments
{
    /// <summary>
    /// Mailboxes are most of a store's items and events. Their states are kept inline; a rebuild (<paramref name="rebuilding"/>) has
    /// the view's pass write them instead (<see cref="Views.TransitionViewProjection"/>), since it folds every mailbox with the same
    /// <see cref="Mailbox.Fold"/> anyway: each mailbox event is then read and folded once, not once for each.
    /// </summary>
    public static void AddMailboxDocuments(this StoreOptions opts, bool rebuilding)
    {
        if (rebuilding) opts.AddItemStateDocuments<Mailbox>(m => m.TransitionId);
        else opts.AddItemState<Mailbox>(Mailbox.Fold, Mailbox.Events, m => m.TransitionId);
    }
}
