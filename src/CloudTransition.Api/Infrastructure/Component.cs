using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Infrastructure;

public enum ComponentState { Active, Decommissioned, Retained }

/// <summary>A piece of on-prem infrastructure Office 365 replaces: a dependency until decommissioned or deliberately retained.</summary>
public sealed record Component : ItemState, IDependency
{
    public string ComponentId { get; init; } = "";
    public string Name { get; init; } = "";
    public ComponentRole Role { get; init; }
    public bool Physical { get; init; }
    public decimal? StorageTb { get; init; }
    public ComponentState State { get; init; }
    public string? RetainedBecause { get; init; }
    public DateTimeOffset InventoriedAt { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }

    public bool IsExchangeServer => Role is ComponentRole.ExchangeMailbox or ComponentRole.ExchangeCas or ComponentRole.ExchangeHub;
    public bool Active => State != ComponentState.Decommissioned;

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(ComponentInventoried), typeof(ComponentRetained), typeof(ComponentDecommissioned)];

    /// <summary>Any order gives the same state (a view may see a late report first); the write side only folds existing streams.</summary>
    public static Component? Fold(Component? component, object e) => e switch
    {
        ComponentInventoried i => (component ?? new Component()).Inventoried(i),
        ComponentRetained r => (component ?? new Component { ComponentId = r.ComponentId, TransitionId = r.TransitionId }).Became(r.OccurredAt, 1, ComponentState.Retained, r.Reason),
        ComponentDecommissioned d => (component ?? new Component { ComponentId = d.ComponentId, TransitionId = d.TransitionId }).Became(d.OccurredAt, 2, ComponentState.Decommissioned, null),
        _ => component,
    };

    private Component Inventoried(ComponentInventoried e)
    {
        var (ledger, latest) = Ledger.Create(e.OccurredAt);
        var inventoried = this with
        {
            Ledger = ledger, ComponentId = e.ComponentId, TransitionId = e.TransitionId, Name = e.Name, Role = e.Role, Physical = e.Physical,
            StorageTb = e.StorageTb, InventoriedAt = e.OccurredAt,
        };
        return latest ? inventoried with { State = ComponentState.Active, RetainedBecause = null } : inventoried;
    }

    private Component Became(DateTimeOffset at, int rank, ComponentState state, string? retainedBecause)
    {
        var (ledger, latest) = Ledger.Record(at, rank, dependency: false, retainedBecause ?? "");
        return latest ? this with { Ledger = ledger, State = state, RetainedBecause = retainedBecause, ChangedAt = at } : this with { Ledger = ledger };
    }

    public IReadOnlyList<DependencyItem> Remaining() => !IsDependency ? [] :
        [new(Categories.Components, Name, $"{Kebab.Name(Role)} ({(Physical ? "physical" : "virtual")}) still running", "decommission it, or retain it with a reason", KeepsExchange: false)];

    public static string Key(string transitionId, string componentId) => $"{TransitionStreams.Prefix(transitionId)}component/{componentId}";
}

/// <summary>A component as the API shows it: `id` is the id its URL uses (the same as `componentId`), never a stream key.</summary>
public record ComponentAnswer(string Id, int Version, string ComponentId, string TransitionId, string Name, ComponentRole Role, bool Physical,
    decimal? StorageTb, ComponentState State, string? RetainedBecause, DateTimeOffset InventoriedAt, DateTimeOffset? ChangedAt)
{
    public static ComponentAnswer Of(Component c) => new(c.ComponentId, c.Version, c.ComponentId, c.TransitionId, c.Name, c.Role, c.Physical,
        c.StorageTb, c.State, c.RetainedBecause, c.InventoriedAt, c.ChangedAt);
}

public static class ComponentDocuments
{
    public static void AddComponentDocuments(this StoreOptions opts) => opts.AddItemState<Component>(Component.Fold, Component.Events, c => c.TransitionId);
}
