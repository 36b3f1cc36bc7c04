namespace CloudTransition.Contracts;

/// <summary>
/// An alert the views derive became true (a wave is late, a move stalled, a case waits past its first-response target…):
/// recorded once per occurrence, so notifications send it once and the timeline and as-of views show it.
/// </summary>
/// <param name="TransitionId">The transition it is about.</param>
/// <param name="Kind">The notification type: `wave.late`, `move.stalled`, `support-case.first-response-overdue`,
/// `endpoint.restart-overdue`, `device-method-expiring`, `exchange.decommission-ready`.</param>
/// <param name="Subject">What it is about: a wave id, an address, a case id, a server, a device id, the transition.</param>
/// <param name="Detail">The alert in a sentence.</param>
/// <param name="OccurredAt">When it was found true.</param>
public record AlertRaised(string TransitionId, string Kind, string Subject, string Detail, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>An alert is no longer true; when it becomes true again, that is a new occurrence.</summary>
public record AlertCleared(string TransitionId, string Kind, string Subject, DateTimeOffset OccurredAt) : ITransitionEvent;
