using System.Text.Json.Serialization;

namespace CloudTransition.Api.Common;

/// <summary>
/// The state of one item (a device, a component, a case…), folded from its events by its own <c>Fold</c>, the one
/// function the store's inline snapshot, the write side and every view call. Immutable: each event gives a new state.
/// </summary>
public abstract record ItemState
{
    /// <summary>The item's stream key: how the store finds it. Never shown in an answer.</summary>
    public string Id { get; set; } = "";

    /// <summary>The transition the item belongs to.</summary>
    public string TransitionId { get; init; } = "";

    /// <summary>The item stream's version.</summary>
    public int Version { get; set; }

    public Ledger Ledger { get; init; } = Ledger.Empty;

    /// <summary>Whether the item ties the organisation to its own servers now; what it is and what clears it comes from <see cref="IDependency.Remaining"/>.</summary>
    [JsonIgnore] public bool IsDependency => Ledger.IsDependency;
}

/// <summary>
/// One thing still tying the organisation to its own servers, why, what would clear it, whether it keeps Exchange on, and for a
/// mailbox the wave it is in (by name).
/// </summary>
public record DependencyItem(string Category, string Name, string Reason, string UnblockedBy, bool KeepsExchange, string? Wave = null);

/// <summary>An item that may keep the organisation on its own servers: the one place that says whether, why, and what clears it.</summary>
public interface IDependency
{
    /// <summary>What the item keeps on-premises now: nothing, or one or more things.</summary>
    IReadOnlyList<DependencyItem> Remaining();
}

/// <summary>The dependency list's categories.</summary>
public static class Categories
{
    public const string Mailboxes = "mailboxes", Devices = "devices", HybridEndpoints = "hybridEndpoints",
        Directory = "directory", Components = "components", Blockers = "blockers", UnknownSenders = "unknownSenders";
}
