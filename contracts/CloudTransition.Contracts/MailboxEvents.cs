namespace CloudTransition.Contracts;

/// <summary>A mailbox still on-premises was added to the inventory.</summary>
public record MailboxInventoried(
    string TransitionId, string Address, MailboxKind Kind, decimal? SizeGb,
    DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A mailbox move reached a new status (queued, syncing, synced, completed or failed).</summary>
public record MailboxMoveStatusChanged(
    string TransitionId, string Address, MoveStatus From, MoveStatus Status, string? Batch, string? Error,
    DateTimeOffset OccurredAt) : ITransitionEvent;
