using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Infrastructure;

/// <param name="Name">e.g. `EXCH01` or `Primary SAN`.</param>
/// <param name="Role">What it does, e.g. exchange-mailbox, domain-controller, san, load-balancer.</param>
/// <param name="Physical">A physical box (true) or a virtual machine (false).</param>
/// <param name="StorageTb">Storage it holds or provides, in TB.</param>
/// <param name="OccurredAt">When it was inventoried; defaults to now.</param>
public record InventoryComponent(string? Name, ComponentRole? Role, bool? Physical, decimal? StorageTb, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<InventoryComponent>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Role).NotNull();
            RuleFor(x => x.Physical).NotNull();
            RuleFor(x => x.StorageTb).InclusiveBetween(0, 1_000_000);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class InventoryComponentEndpoint
{
    public static Decision Decide(InventoryComponent r, string id, string componentId, DateTimeOffset at) =>
        Decision.Accept(new ComponentInventoried(id, componentId, r.Name!.Trim(), r.Role!.Value, r.Physical!.Value, r.StorageTb, at));

    public static async Task<Outcome<Component>> Handle(string id, InventoryComponent r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var componentId = TransitionChecks.NewItemId();
        return session.StartWith<Component>(Component.Key(id, componentId), Decide(r, id, componentId, r.At(time)), Component.Fold);
    }

    [Tags("Infrastructure")]
    [RequestExample("""{"name":"EXCH01","role":"exchange-mailbox","physical":true,"storageTb":4}""")]
    [WolverinePost("/api/transitions/{id}/components", OperationId = "inventoryComponent", Summary = "Add an on-prem component to the inventory",
        Description = "Adds a server, SAN, load balancer, firewall or other on-prem component; it is a remaining dependency until decommissioned or retained with a reason.")]
    public static async Task<Results<Created<ComponentAnswer>, ProblemHttpResult>> Post(string id, InventoryComponent r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, r, session, time)).Answer(c => TypedResults.Created($"/api/transitions/{id}/components/{c.ComponentId}", ComponentAnswer.Of(c)));
}
