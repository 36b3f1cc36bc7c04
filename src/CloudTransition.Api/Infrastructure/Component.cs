using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.Infrastructure;

public enum ComponentState { Active, Decommissioned, Retained }

/// <summary>A piece of on-prem infrastructure Office 365 replaces: a dependency until decommissioned or deliberately retained.</summary>
public class Component : ItemSnapshot<Component>
{
    public string ComponentId { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string Name { get; set; } = "";
    public ComponentRole Role { get; set; }
    public bool Physical { get; set; }
    public decimal? StorageTb { get; set; }
    public ComponentState State { get; set; }
    public string? RetainedBecause { get; set; }
    public DateTimeOffset InventoriedAt { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }

    public bool IsExchangeServer => Role is ComponentRole.ExchangeMailbox or ComponentRole.ExchangeCas or ComponentRole.ExchangeHub;

    public static Component Create(ComponentInventoried e) => new()
    {
        ComponentId = e.ComponentId, TransitionId = e.TransitionId, Name = e.Name, Role = e.Role, Physical = e.Physical,
        StorageTb = e.StorageTb, InventoriedAt = e.OccurredAt,
    };

    public void Apply(ComponentDecommissioned e) => (State, RetainedBecause, ChangedAt) = (ComponentState.Decommissioned, null, e.OccurredAt);
    public void Apply(ComponentRetained e) => (State, RetainedBecause, ChangedAt) = (ComponentState.Retained, e.Reason, e.OccurredAt);

    public static string Key(string transitionId, string componentId) => $"{TransitionStreams.Prefix(transitionId)}component/{componentId}";
}

public static class ComponentDocuments
{
    public static void AddComponentDocuments(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Component>(SnapshotLifecycle.Inline);
        opts.Schema.For<Component>().Duplicate(c => c.TransitionId, configure: TransitionIndex.PerTenant);
    }
}
