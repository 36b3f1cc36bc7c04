using CloudTransition.Api.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Notifications;

public static class ManageSubscriptionsEndpoints
{
    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineDelete("/api/subscriptions/{subscriptionId}", OperationId = "deleteSubscription", Summary = "Stop sending to a subscription",
        Description = "Deletes the subscription and its delivery log; pending deliveries are not sent.")]
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string subscriptionId, IDocumentSession session)
    {
        if (await session.LoadAsync<NotificationSubscription>(subscriptionId) is null) return ReadSubscriptionsEndpoints.NotFound(subscriptionId);
        session.Delete<NotificationSubscription>(subscriptionId);
        session.DeleteWhere<NotificationDelivery>(d => d.SubscriptionId == subscriptionId);
        await session.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverinePost("/api/subscriptions/{subscriptionId}/deliveries/{deliveryId}/retry", OperationId = "retryDelivery", Summary = "Deliver again now",
        Description = "Makes a pending or failed delivery due now (a failed one gets one more attempt), and re-enables a disabled subscription. " +
                      "It is sent after the transition's earlier deliveries to this subscription, as always. 409 when it was delivered.")]
    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> Retry(string subscriptionId, string deliveryId, IDocumentSession session,
        DeliverySignal worker, TimeProvider time)
    {
        if (await session.LoadAsync<NotificationSubscription>(subscriptionId) is not { } subscription) return ReadSubscriptionsEndpoints.NotFound(subscriptionId);
        if (await session.LoadAsync<NotificationDelivery>(deliveryId) is not { } delivery || delivery.SubscriptionId != subscriptionId)
            return Common.Problem.NotFound($"No delivery '{deliveryId}' of subscription '{subscriptionId}'.");
        if (delivery.State == DeliveryState.Delivered) return Common.Problem.Conflict($"Delivery '{deliveryId}' was delivered at {delivery.DeliveredAt:u}.");
        (delivery.State, delivery.NextAttemptAt) = (DeliveryState.Pending, time.GetUtcNow());
        if (delivery.Attempts > DeliveryRules.Retries.Count) delivery.Attempts = DeliveryRules.Retries.Count;
        (subscription.State, subscription.DisabledReason, subscription.FailingSince) = (SubscriptionState.Active, null, null);
        session.Store(delivery);
        session.Store(subscription);
        await session.SaveChangesAsync();
        worker.Wake();
        return TypedResults.Accepted($"/api/subscriptions/{subscriptionId}/deliveries", DeliveryView.Of(delivery));
    }

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverinePost("/api/subscriptions/{subscriptionId}/rotate-secret", OperationId = "rotateSubscriptionSecret", Summary = "Rotate a subscription's secret",
        Description = "Answers the new `whsec_` secret once. For 24 hours deliveries carry a signature with each (space-separated in `webhook-signature`), " +
                      "so the receiver can switch at its own pace; then only the new one signs.")]
    public static async Task<Results<Ok<Webhooks.SourceSecretIssued>, ProblemHttpResult>> Rotate(string subscriptionId, IDocumentSession session,
        Webhooks.SecretProtector secrets, TimeProvider time)
    {
        if (await session.LoadAsync<NotificationSubscription>(subscriptionId) is not { } subscription) return ReadSubscriptionsEndpoints.NotFound(subscriptionId);
        var now = time.GetUtcNow();
        var secret = Webhooks.SecretProtector.NewSecret();
        subscription.Secrets = Webhooks.SourceSecret.Rotated(subscription.Secrets, secrets.Protect(secret), now);
        session.Store(subscription);
        await session.SaveChangesAsync();
        return TypedResults.Ok(new Webhooks.SourceSecretIssued(subscriptionId, secret, now + Webhooks.SecretProtector.RotationGrace));
    }

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverinePost("/api/subscriptions/{subscriptionId}/test", OperationId = "testSubscription", Summary = "Send a ping",
        Description = "Queues a `ping` delivery, sent at once and retried like any other; its outcome is in the delivery log.")]
    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> Test(string subscriptionId, IDocumentSession session, DeliverySignal worker,
        TimeProvider time)
    {
        if (await session.LoadAsync<NotificationSubscription>(subscriptionId) is null) return ReadSubscriptionsEndpoints.NotFound(subscriptionId);
        var now = time.GetUtcNow();
        var ping = new NotificationDelivery
        {
            Id = $"{subscriptionId}-ping-{Guid.CreateVersion7():N}", TenantId = session.TenantId, SubscriptionId = subscriptionId, TransitionId = "",
            Type = NotificationTypes.Ping, Timestamp = now, Data = $$"""{"subscriptionId":"{{subscriptionId}}"}""", State = DeliveryState.Pending,
            NextAttemptAt = now, Sequence = now.ToUnixTimeMilliseconds(),
        };
        session.Store(ping);
        await session.SaveChangesAsync();
        worker.Wake();
        return TypedResults.Accepted($"/api/subscriptions/{subscriptionId}/deliveries", DeliveryView.Of(ping));
    }
}
