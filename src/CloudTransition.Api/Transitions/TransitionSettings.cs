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

    public TransitionSettings Changed(TransitionSettingsChanged e) =>
        e.OccurredAt >= ChangedAt ? new TransitionSettings { StallAfterHours = e.StallAfterHours, ChangedAt = e.OccurredAt } : this;
}
