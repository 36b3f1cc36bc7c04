using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDiscovery;

/// <param name="Reason">Why it is no device to register, e.g. `the monitoring server's test mail`.</param>
/// <param name="OccurredAt">When it was dismissed; defaults to now.</param>
public record DismissSender(string? Reason, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<DismissSender>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public static class DismissSenderEndpoint
{
    public static Decision Decide(RelaySender? sender, DismissSender r, string id, string remoteIp, DateTimeOffset at)
    {
        if (sender is null) return new Refusal.NotFound($"No sender '{remoteIp}' was seen relaying in transition '{id}'.");
        var reason = r.Reason!.Trim();
        if (sender.DismissedReason == reason) return Decision.Nothing;
        return Decision.Accept(new RelaySenderDismissed(id, sender.RemoteIp, reason, at));
    }

    public static async Task<Outcome<RelaySender>> Handle(string id, string remoteIp, DismissSender r, IDocumentSession session, TimeProvider time)
    {
        var ip = IpAddresses.Canonical(remoteIp);
        var stream = await session.Events.FetchForWriting<RelaySender>(RelaySender.Key(id, ip));
        return stream.Apply(Decide(stream.Aggregate, r, id, ip, r.At(time)), RelaySender.Fold);
    }

    [Tags("Relay discovery")]
    [RequestExample("""{"reason":"The monitoring server's hourly test message; it goes with the last Exchange server."}""")]
    [WolverinePost("/api/transitions/{id}/relay-senders/{remoteIp}/dismiss", OperationId = "dismissRelaySender", Summary = "Dismiss a sender as no device",
        Description = "A sender seen relaying that is no device to register (a monitoring probe, a server being retired) stops being an unknown sender, " +
                      "with the reason kept in its history. The same reason again answers 200 and records nothing.")]
    public static async Task<Results<Ok<SenderAnswer>, ProblemHttpResult>> Post(string id, string remoteIp, DismissSender request, IDocumentSession session,
        TimeProvider time)
    {
        var outcome = await Handle(id, remoteIp, request, session, time);
        if (outcome.Refusal is { } refusal) return refusal.Problem();
        var devices = await ReadDiscoveriesEndpoints.Devices(session, id);
        return TypedResults.Ok(SenderAnswer.Of(outcome.State!, SenderRules.Device(outcome.State!, devices), await session.RelayDayAt(id, time.GetUtcNow())));
    }
}
