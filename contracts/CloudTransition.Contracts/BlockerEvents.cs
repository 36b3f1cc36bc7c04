namespace CloudTransition.Contracts;

/// <summary>Something that keeps the organisation on-premises, e.g. BlackBerry Enterprise Server installed on Exchange.</summary>
public record BlockerRaised(string TransitionId, string BlockerId, string Name, BlockerKind Kind, string Detail,
    DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A blocker was cleared, e.g. the application was replaced or re-integrated.</summary>
public record BlockerResolved(string TransitionId, string BlockerId, string Resolution, DateTimeOffset OccurredAt) : ITransitionEvent;
