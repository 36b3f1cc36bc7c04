namespace CloudTransition.Contracts;

/// <summary>A support case was opened with a vendor, directly or through a partner.</summary>
public record SupportCaseOpened(string TransitionId, string CaseId, string Title, string Vendor, SupportChannel Channel,
    CaseSeverity Severity, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>The vendor responded.</summary>
public record SupportCaseResponded(string TransitionId, string CaseId, string? Note, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>The case was escalated.</summary>
public record SupportCaseEscalated(string TransitionId, string CaseId, string? Note, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>The case was resolved.</summary>
public record SupportCaseResolved(string TransitionId, string CaseId, string? Note, DateTimeOffset OccurredAt) : ITransitionEvent;
