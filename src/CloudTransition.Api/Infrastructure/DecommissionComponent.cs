using CloudTransition.Api.Blockers;
using CloudTransition.Api.Common;
using CloudTransition.Api.Hybrid;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.RelayDiscovery;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CloudTransition.Api.Infrastructure;

/// <param name="OccurredAt">When it was switched off; defaults to now.</param>
public record DecommissionComponent(DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<DecommissionComponent>
    {
        public Validator(TimeProvider time) => this.OccurredAtIsNotInTheFuture(time);
    }
}

public static class DecommissionComponentEndpoint
{
    /// <summary>
    /// Decommissioned already: nothing to record. The last Exchange server cannot go while anything that keeps Exchange remains
    /// (<paramref name="keepingExchange"/>: what the one rule, <see cref="ExchangeRule"/>, names from the items' own states).
    /// </summary>
    public static Decision Decide(Component? component, bool lastExchangeServer, IReadOnlyList<DependencyItem> keepingExchange,
        string id, string componentId, DateTimeOffset at)
    {
        if (component is null) return new Refusal.NotFound($"No component '{componentId}' in transition '{id}'.");
        if (component.State == ComponentState.Decommissioned) return Decision.Nothing;
        if (component.IsExchangeServer && lastExchangeServer && ExchangeRule.Dependents(keepingExchange) is { Count: > 0 } dependents)
            return new Refusal.Conflict($"'{component.Name}' is the last Exchange server and {dependents.Count} item(s) still depend on it.", "Still needed",
                new Dictionary<string, object?> { ["dependents"] = dependents });
        return Decision.Accept(new ComponentDecommissioned(id, componentId, at));
    }

    public static async Task<Outcome<Component>> Handle(string id, string componentId, DecommissionComponent r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<Component>(Component.Key(id, componentId));
        var exchange = stream.Aggregate is { IsExchangeServer: true, State: not ComponentState.Decommissioned };
        var last = exchange && await IsLastExchangeServer(session, stream.Aggregate!);
        var remaining = last ? await Remaining(session, id) : [];
        return stream.Apply(Decide(stream.Aggregate, last, remaining, id, componentId, r.At(time)), Component.Fold);
    }

    [Tags("Infrastructure")]
    [RequestExample("""{"occurredAt":"2026-12-01T17:00:00Z"}""")]
    [WolverinePost("/api/transitions/{id}/components/{componentId}/decommission", OperationId = "decommissionComponent", Summary = "Decommission a component",
        Description = "Decommissioning the last Exchange server while mailboxes are not completed, devices still send through on-prem servers, " +
                      "hybrid endpoints are pending a restart, senders seen relaying match no registered device or applications must run on an Exchange server answers 409 with `dependents`: what still depends on it.")]
    public static async Task<Results<Ok<ComponentAnswer>, ProblemHttpResult>> Post(string id, string componentId, DecommissionComponent r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, componentId, r, session, time)).Answer(c => TypedResults.Ok(ComponentAnswer.Of(c)));

    private static async Task<bool> IsLastExchangeServer(IQuerySession session, Component component)
    {
        var others = await session.Query<Component>()
            .Where(c => c.TransitionId == component.TransitionId && c.Id != component.Id && c.State != ComponentState.Decommissioned)
            .ToListAsync();
        return !others.Any(c => c.IsExchangeServer);
    }

    /// <summary>What the items that may keep Exchange say they keep, read from their current states (not from the views, which may lag).</summary>
    private static async Task<IReadOnlyList<DependencyItem>> Remaining(IQuerySession session, string id)
    {
        var mailboxes = await session.Query<Mailbox>().Where(m => m.TransitionId == id && m.Status != MoveStatus.Completed).ToListAsync();
        var devices = await session.Query<RelayDevice>().Where(d => d.TransitionId == id).ToListAsync();
        var senders = await session.Query<RelaySender>().Where(s => s.TransitionId == id).ToListAsync();
        var blockers = await session.Query<Blocker>().Where(b => b.TransitionId == id && b.Kind == BlockerKind.LobOnExchange).ToListAsync();
        var hybrid = await session.LoadAsync<HybridState>(HybridState.Key(id));
        IEnumerable<IDependency> items = [.. mailboxes, .. devices.Where(d => d.State != DeviceState.Retired), .. blockers, .. (hybrid is null ? [] : new[] { hybrid })];
        var unknown = senders.Where(s => SenderRules.Status(s, SenderRules.Device(s, devices)) == SenderStatus.Unknown).Select(SenderRules.Dependency);
        return items.SelectMany(i => i.Remaining()).Concat(unknown).ToList();
    }
}
