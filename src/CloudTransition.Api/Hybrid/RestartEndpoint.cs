using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Hybrid;

/// <param name="Method">reboot or iisreset.</param>
/// <param name="OccurredAt">When it was restarted; defaults to now.</param>
public record RestartEndpoint(RestartMethod? Method, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<RestartEndpoint>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Method).NotNull();
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public record EndpointRestarted(string Server, bool PendingRestart);

public static class RecordEndpointRestartEndpoint
{
    public static Decision Decide(HybridState? hybrid, string server, RestartEndpoint r, string id, DateTimeOffset at) =>
        hybrid?.Endpoint(server.Trim()) is { } endpoint
            ? Decision.Accept(new HybridEndpointRestarted(id, endpoint.Server, r.Method!.Value, at))
            : new Refusal.NotFound($"No hybrid endpoint '{server}' in transition '{id}': record the wizard run that added it first.");

    public static async Task<Outcome<HybridState>> Handle(string id, string server, RestartEndpoint r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.Events.FetchForWriting<HybridState>(HybridState.Key(id));
        return stream.Apply(Decide(stream.Aggregate, server, r, id, r.At(time)), HybridState.Fold);
    }

    [Tags("Hybrid")]
    [RequestExample("""{"method":"iisreset"}""")]
    [WolverinePost("/api/transitions/{id}/hybrid/endpoints/{server}/restart", OperationId = "recordEndpointRestart", Summary = "Record a hybrid endpoint's reboot or iisreset",
        Description = "A restart after the last wizard run clears the endpoint's pending restart. An endpoint no wizard run added answers 404.")]
    public static async Task<Results<Ok<EndpointRestarted>, ProblemHttpResult>> Post(string id, string server, RestartEndpoint r, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, server, r, session, time)).Answer(hybrid =>
        {
            var endpoint = hybrid.Endpoint(server.Trim())!;
            return TypedResults.Ok(new EndpointRestarted(endpoint.Server, endpoint.PendingRestart));
        });
}
