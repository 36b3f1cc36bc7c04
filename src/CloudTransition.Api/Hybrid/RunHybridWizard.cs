using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Hybrid;

/// <param name="Server">The CAS/HUB server the wizard made a hybrid endpoint.</param>
/// <param name="Role">cas, hub or cas-hub.</param>
public record EndpointRequest(string? Server, EndpointRole? Role);

/// <param name="ExchangeVersion">The on-prem Exchange version, e.g. `2010 SP3`.</param>
/// <param name="Endpoints">The servers the wizard added as hybrid endpoints.</param>
/// <param name="OccurredAt">When the wizard ran; defaults to now.</param>
public record RunHybridWizard(string? ExchangeVersion, IReadOnlyList<EndpointRequest>? Endpoints, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RunHybridWizard>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.ExchangeVersion).NotEmpty().MaximumLength(50);
            RuleFor(x => x.Endpoints).NotEmpty().Must(e => e!.Count <= 50).WithMessage("At most 50 endpoints per run.")
                .Must(e => e!.Select(x => x?.Server?.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == e!.Count).WithMessage("An endpoint is listed twice.");
            RuleForEach(x => x.Endpoints).ChildRules(e =>
            {
                e.RuleFor(x => x.Server).NotEmpty().MaximumLength(253);
                e.RuleFor(x => x.Role).NotNull();
            });
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

/// <summary>The wizard run and the endpoints that now need a reboot or iisreset.</summary>
public record WizardRunRecorded(string ConfigurationId, IReadOnlyList<string> PendingRestart);

public static class RunHybridWizardEndpoint
{
    /// <summary>Each run is recorded; a server the wizard added before keeps the name it was first entered with (matched case-insensitively).</summary>
    public static Decision Decide(HybridState? hybrid, RunHybridWizard r, string id, string configurationId, DateTimeOffset at)
    {
        var endpoints = r.Endpoints!.Select(e => new HybridEndpoint(hybrid?.Endpoint(e.Server!.Trim())?.Server ?? e.Server!.Trim(), e.Role!.Value)).ToList();
        return Decision.Accept(new HybridConfigured(id, configurationId, r.ExchangeVersion!.Trim(), endpoints, at));
    }

    public static async Task<Outcome<HybridState>> Handle(string id, string configurationId, RunHybridWizard r, IDocumentSession session, TimeProvider time)
    {
        if (!await session.TransitionExists(id)) return Refusal.NoTransition(id);
        var stream = await session.Events.FetchForWriting<HybridState>(HybridState.Key(id));
        return stream.Apply(Decide(stream.Aggregate, r, id, configurationId, r.At(time)), HybridState.Fold);
    }

    [Tags("Hybrid")]
    [RequestExample("""{"exchangeVersion":"2010 SP3","endpoints":[{"server":"exch02","role":"cas"},{"server":"exch03","role":"hub"}]}""")]
    [WolverinePost("/api/transitions/{id}/hybrid/configurations", OperationId = "recordHybridWizardRun", Summary = "Record a Hybrid Configuration Wizard run",
        Description = "Each CAS/HUB server the wizard added is a hybrid endpoint that stays pending until it is rebooted or gets an iisreset " +
                      "after this run (until then Autodiscover and cross-premises free/busy fail). A second run makes its endpoints pending again.")]
    public static async Task<Results<Created<WizardRunRecorded>, ProblemHttpResult>> Post(string id, RunHybridWizard r, IDocumentSession session, TimeProvider time)
    {
        var configurationId = TransitionChecks.NewItemId();
        return (await Handle(id, configurationId, r, session, time)).Answer(hybrid => TypedResults.Created($"/api/transitions/{id}/hybrid",
            new WizardRunRecorded(configurationId, r.Endpoints!.Select(e => hybrid.Endpoint(e.Server!.Trim())!.Server).ToList())));
    }
}
