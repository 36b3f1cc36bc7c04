namespace CloudTransition.Contracts;

/// <summary>An organisation's move to Office 365 was started.</summary>
public record TransitionStarted(
    string TransitionId, string Organisation, IReadOnlyList<string> Domains,
    DateOnly? PlannedCompletion, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>The transition entered another phase (a step back carries its reason).</summary>
public record TransitionPhaseChanged(
    string TransitionId, TransitionPhase From, TransitionPhase To, string? Reason,
    DateTimeOffset OccurredAt) : ITransitionEvent;
