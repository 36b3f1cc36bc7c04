namespace CloudTransition.Contracts;

/// <summary>A migration wave was planned: a named group of mailboxes to move between two instants.</summary>
public record WavePlanned(string TransitionId, string WaveId, string Name, DateTimeOffset PlannedStart, DateTimeOffset PlannedCompletion,
    string? Description, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A wave's schedule changed, and why (the dashboard shows slips).</summary>
public record WaveRescheduled(string TransitionId, string WaveId, DateTimeOffset PlannedStart, DateTimeOffset PlannedCompletion,
    string Reason, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A window in which no cutover should be planned (quarter close, holidays).</summary>
public record BlackoutDeclared(string TransitionId, string BlackoutId, string Name, DateTimeOffset Start, DateTimeOffset End,
    string? Reason, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>The transition's settings changed (each event carries all of them): after how many hours without progress a syncing move counts as
/// stalled; whether the tenant rejects direct send; whether its admin turned SMTP AUTH Basic authentication back on after Microsoft's default change.</summary>
public record TransitionSettingsChanged(string TransitionId, int StallAfterHours, DateTimeOffset OccurredAt) : ITransitionEvent
{
    public bool RejectDirectSend { get; init; }
    public bool SmtpBasicAuthReenabled { get; init; }
}
