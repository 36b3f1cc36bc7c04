using System.Text.Json.Serialization;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Mailboxes;

/// <summary>
/// The one stall rule. A move is stalled when Exchange Online's status detail says so (its <c>Stalled…</c> values: throttling
/// that is normal for hours but delays a wave for days), or when it is syncing and its percent (and items synced) has not
/// changed for the transition's stall threshold. A completed or failed move never is.
/// </summary>
public record MoveClock(MoveStatus Status, string? StatusDetail, DateTimeOffset? ProgressSince)
{
    public const int DefaultStallAfterHours = 24;

    [JsonIgnore] public bool StalledByDetail => InFlight && StatusDetail is { } detail && detail.StartsWith("Stalled", StringComparison.OrdinalIgnoreCase);

    [JsonIgnore] private bool InFlight => Status is MoveStatus.Queued or MoveStatus.Syncing or MoveStatus.Synced;

    /// <summary>Whether the move may be stalled at some instant: what a view keeps of it to answer that later.</summary>
    [JsonIgnore] public bool CanStall => StalledByDetail || Status == MoveStatus.Syncing && ProgressSince is not null;

    public bool StalledAt(DateTimeOffset at, TimeSpan after) =>
        StalledByDetail || Status == MoveStatus.Syncing && ProgressSince is { } since && since <= at - after;

    public string Why(TimeSpan after) => StalledByDetail
        ? $"Exchange Online reports {StatusDetail}"
        : $"no progress since {ProgressSince:u} ({after.TotalHours:0.#} h threshold)";
}
