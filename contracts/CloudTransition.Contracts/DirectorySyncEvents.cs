namespace CloudTransition.Contracts;

/// <summary>Directory synchronisation was switched on: on-prem AD becomes the source of authority.</summary>
public record DirectorySyncEnabled(string TransitionId, SyncTool Tool, string Server, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>Directory synchronisation was switched off.</summary>
public record DirectorySyncDisabled(string TransitionId, DateTimeOffset OccurredAt) : ITransitionEvent;
