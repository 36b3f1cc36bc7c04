namespace CloudTransition.Contracts;

/// <summary>An on-premises component was added to the inventory.</summary>
public record ComponentInventoried(string TransitionId, string ComponentId, string Name, ComponentRole Role, bool Physical,
    decimal? StorageTb, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A component was switched off for good.</summary>
public record ComponentDecommissioned(string TransitionId, string ComponentId, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A component is deliberately kept on-premises.</summary>
public record ComponentRetained(string TransitionId, string ComponentId, string Reason, DateTimeOffset OccurredAt) : ITransitionEvent;
