namespace CloudTransition.Contracts;

/// <summary>A mailbox still on-premises was added to the inventory.</summary>
public record MailboxInventoried(
    string TransitionId, string Address, MailboxKind Kind, decimal? SizeGb,
    DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>
/// A mailbox move reached a new status (queued, syncing, synced, completed or failed), or reported progress in the same
/// status (<c>From == Status</c>) with new <see cref="Detail"/>.
/// </summary>
public record MailboxMoveStatusChanged(
    string TransitionId, string Address, MoveStatus From, MoveStatus Status, string? Batch, string? Error,
    DateTimeOffset OccurredAt) : ITransitionEvent
{
    /// <summary>What Exchange Online reported with it, if anything (events from before move detail have none).</summary>
    public MoveDetail? Detail { get; init; }
}

/// <summary>A move's detail as Exchange Online reports it (Get-MigrationUserStatistics, Get-MoveRequestStatistics).</summary>
public record MoveDetail(int? PercentComplete, string? StatusDetail, long? ItemsSynced, long? ItemsSkipped, long? BadItems, long? LargeItems,
    DataConsistencyScore? DataConsistencyScore, DateTimeOffset? LastSyncAt);

/// <summary>A mailbox was put in a wave (out of the one it was in, if any).</summary>
public record MailboxAssignedToWave(string TransitionId, string Address, string WaveId, string? FromWaveId, DateTimeOffset OccurredAt) : ITransitionEvent;
