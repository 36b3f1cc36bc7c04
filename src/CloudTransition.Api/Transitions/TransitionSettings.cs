using System.Text.Json.Serialization;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Transitions;

/// <summary>A transition's settings: the latest change by occurredAt holds, on the write side and in every view alike.</summary>
public sealed record TransitionSettings
{
    public int StallAfterHours { get; init; } = MoveClock.DefaultStallAfterHours;
    public bool RejectDirectSend { get; init; }
    public bool SmtpBasicAuthReenabled { get; init; }
    public DateTimeOffset ChangedAt { get; init; } = DateTimeOffset.MinValue;

    [JsonIgnore] public TimeSpan StallAfter => TimeSpan.FromHours(StallAfterHours);

    /// <summary>What the tenant decided that changes which relay methods work: direct send rejected since these settings.</summary>
    [JsonIgnore] public RelayPolicy RelayPolicy => new(RejectDirectSend ? DateOnly.FromDateTime(ChangedAt.UtcDateTime) : null, SmtpBasicAuthReenabled);

    /// <summary>Two changes of the same instant: the larger values hold, so the same changes fold the same in any order.</summary>
    public TransitionSettings Changed(TransitionSettingsChanged e) =>
        e.OccurredAt > ChangedAt || e.OccurredAt == ChangedAt
            && (e.StallAfterHours, e.RejectDirectSend, e.SmtpBasicAuthReenabled).CompareTo((StallAfterHours, RejectDirectSend, SmtpBasicAuthReenabled)) > 0
            ? new TransitionSettings
            {
                StallAfterHours = e.StallAfterHours, RejectDirectSend = e.RejectDirectSend, SmtpBasicAuthReenabled = e.SmtpBasicAuthReenabled, ChangedAt = e.OccurredAt,
            }
            : this;
}
