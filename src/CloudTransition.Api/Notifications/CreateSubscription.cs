using CloudTransition.Api.Common;
using CloudTransition.Api.Security;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Webhooks;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Wolverine.Http;

namespace CloudTransition.Api.Notifications;

/// <param name="Name">What the subscription is for, e.g. `PM channel`.</param>
/// <param name="Url">Where to POST: https (http only where the operator allows it), a public address (private ones only where allowed).</param>
/// <param name="Format">`standard-webhooks` (signed JSON), `teams` (a Teams Workflows webhook) or `slack` (an incoming webhook).</param>
/// <param name="Events">The event types to send (`mailbox.moved`, `blocker.raised`, …), or `["*"]` for all.</param>
/// <param name="TransitionId">Only this transition's events; all of the tenant's when absent.</param>
public record Subscribe(string? Name, string? Url, NotificationFormat? Format, IReadOnlyList<string>? Events, string? TransitionId)
{
    public class Validator : AbstractValidator<Subscribe>
    {
        public Validator()
        {
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Url).NotEmpty().MaximumLength(2000);
            RuleFor(x => x.Format).NotNull();
            RuleFor(x => x.Events).NotEmpty().Must(e => e!.Count <= 100).WithMessage("events may name at most 100 types.");
            RuleForEach(x => x.Events).Must(e => e == NotificationTypes.Everything || NotificationTypes.Known.Contains(e))
                .WithMessage((_, e) => $"'{e}' is not an event type: use one of {string.Join(", ", NotificationTypes.Known.Order())}, or \"*\".");
            RuleFor(x => x.TransitionId).MaximumLength(100);
        }
    }
}

/// <summary>The subscription made; `secret` (`whsec_…`) verifies its signatures and is shown this once.</summary>
public record SubscriptionCreated(string SubscriptionId, string Secret, SubscriptionView Subscription);

public static class CreateSubscriptionEndpoint
{
    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [RequestExample("""{"name":"PM channel","url":"https://example.webhook.office.com/workflows/abc","format":"teams","events":["blocker.raised","mailbox.moved"]}""")]
    [WolverinePost("/api/subscriptions", OperationId = "createSubscription", Summary = "Send the tenant's events to a URL",
        Description = "Every event recorded from now on whose type is in `events` (and of `transitionId`, if given) is POSTed to `url`, signed with " +
                      "Standard Webhooks headers (`webhook-id` stays the same across retries). Retries after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, " +
                      "then the delivery has failed; a subscription whose deliveries all fail for 24 hours is disabled. 400 naming `url` when it may not be a target.")]
    public static async Task<Results<Created<SubscriptionCreated>, ProblemHttpResult>> Post(Subscribe r, IDocumentSession session, Common.OutboundTargets targets,
        SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        if (r.TransitionId is { } transitionId && !await session.TransitionExists(transitionId))
            return Problem.Invalid("transitionId", $"The tenant has no transition '{transitionId}'.");
        if (await targets.Refusal(r.Url!, ct) is { } refusal) return Problem.Invalid("url", refusal);
        var secret = SecretProtector.NewSecret();
        var now = time.GetUtcNow();
        var uri = new Uri(r.Url!);
        var subscription = new NotificationSubscription
        {
            Id = "sub_" + Guid.CreateVersion7().ToString("N"), TenantId = session.TenantId, Name = r.Name!.Trim(), ProtectedUrl = secrets.Protect(r.Url!),
            Target = uri.GetLeftPart(UriPartial.Authority), Format = r.Format!.Value, Events = r.Events!.Distinct().ToList(), TransitionId = r.TransitionId,
            Secrets = [new SourceSecret(secrets.Protect(secret), now, null)], State = SubscriptionState.Active, CreatedAt = now,
            AfterSequence = await LastSequence(session, ct),
        };
        session.Store(subscription);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/subscriptions/{subscription.Id}", new SubscriptionCreated(subscription.Id, secret, SubscriptionView.Of(subscription)));
    }

    /// <summary>The last event recorded so far: the subscription sends what comes after.</summary>
    private static async Task<long> LastSequence(IDocumentSession session, CancellationToken ct)
    {
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {StoreSchema.Name}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
