using System.Text.Json.Serialization;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Transitions;

/// <summary>A transition's settings: the latest change by occurredAt holds, on the write side and in every view alike.</summary>
public sealed record TransitionSettings
{
    public int StallAfterHours { get; init; } = MoveClock.DefaultStallAfterHours;
    public DateTimeOffset ChangedAt { get; init; } = DateTimeOffset.MinValue;

    [JsonIgnore] public TimeSpan StallAfter => TimeSpan.FromHours(StallAfterHours);

    /// <summary>Two changes of the same instant: the larger threshold holds, so the same changes fold the same in any order.</summary>
    public TransitionSettings Changed(TransitionSettingsChanged e) =>
        e.OccurredAt > ChangedAt || e.OccurredAt == ChangedAt && e.StallAfterHours > StallAfterHours
            ? new TransitionSettings { StallAfterHours = e.StallAfterHours, ChangedAt = e.OccurredAt }
            : this;
}
