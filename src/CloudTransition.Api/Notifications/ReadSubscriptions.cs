using CloudTransition.Api.Common;
using CloudTransition.Api.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Notifications;

/// <summary>A subscription as answers show it: the target's scheme, host and port only (a Teams or Slack URL is a credential).</summary>
public record SubscriptionView(string SubscriptionId, string Name, string Target, NotificationFormat Format, IReadOnlyList<string> Events, string? TransitionId,
    SubscriptionState State, string? DisabledReason, DateTimeOffset CreatedAt, DateTimeOffset? LastDeliveredAt, DateTimeOffset? FailingSince)
{
    public static SubscriptionView Of(NotificationSubscription s) =>
        new(s.Id, s.Name, s.Target, s.Format, s.Events, s.TransitionId, s.State, s.DisabledReason, s.CreatedAt, s.LastDeliveredAt, s.FailingSince);
}

/// <summary>One delivery and its last attempt.</summary>
/// <param name="DeliveryId">Also its `webhook-id`, the same on every attempt.</param>
/// <param name="Event">The event type sent (`mailbox.moved`, `ping`, …).</param>
/// <param name="TransitionId">The transition the event is about (none for a ping).</param>
/// <param name="State">pending (waiting for its next attempt), delivered, or failed (every retry used).</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="LastStatus">The HTTP status of the last answer, if there was one.</param>
/// <param name="LastError">Why the last attempt got no answer: a refused target, a timeout, a connection error.</param>
/// <param name="LastResponse">The first 1,000 characters of the receiver's last answer.</param>
/// <param name="LastAttemptAt">When it was last sent.</param>
/// <param name="NextAttemptAt">When it will be sent next (pending only).</param>
/// <param name="DeliveredAt">When a receiver answered 2xx.</param>
public record DeliveryView(string DeliveryId, string Event, string? TransitionId, DeliveryState State, int Attempts, int? LastStatus, string? LastError,
    string? LastResponse, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt)
{
    public static DeliveryView Of(NotificationDelivery d) => new(d.Id, d.Type, d.TransitionId.Length == 0 ? null : d.TransitionId, d.State, d.Attempts,
        d.LastStatus, d.LastError, d.LastResponse, d.LastAttemptAt, d.NextAttemptAt, d.DeliveredAt);
}

public static class ReadSubscriptionsEndpoints
{
    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineGet("/api/subscriptions", OperationId = "listSubscriptions", Summary = "The tenant's notification subscriptions",
        Description = "By name: each one's target (scheme, host and port; the full URL is stored encrypted), format, events, state (`disabled` with the reason " +
                      "after 24 hours of failed deliveries), last delivery and since when it has been failing. Admins only.")]
    public static async Task<IReadOnlyList<SubscriptionView>> List(IQuerySession session) =>
        (await session.Query<NotificationSubscription>().OrderBy(s => s.Name).ToListAsync()).Select(SubscriptionView.Of).ToList();

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineGet("/api/subscriptions/{subscriptionId}", OperationId = "getSubscription", Summary = "One subscription: state and last delivery",
        Description = "As in the list. Admins only.")]
    public static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> Get(string subscriptionId, IQuerySession session) =>
        await session.LoadAsync<NotificationSubscription>(subscriptionId) is { } s ? TypedResults.Ok(SubscriptionView.Of(s)) : NotFound(subscriptionId);

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [ResponseHeader("200", "Link", "`<…&after=…>; rel=\"next\"` when more deliveries follow.")]
    [ResponseHeader("200", "X-Total-Count", "How many deliveries the subscription has.")]
    [WolverineGet("/api/subscriptions/{subscriptionId}/deliveries", OperationId = "listDeliveries", Summary = "A subscription's delivery log",
        Description = "Newest first, filtered by `state` (pending, delivered, failed), at most `limit` (1–5000, default 500) from `after`.")]
    public static async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ProblemHttpResult>> Deliveries(string subscriptionId, DeliveryState? state, int? limit,
        string? after, IQuerySession session, Cursors cursors, HttpContext http)
    {
        var list = $"deliveries:{session.TenantId}:{subscriptionId}:{state}";
        var (paging, problem) = Paging.Of(limit, after, cursors, list, 1);
        if (problem is not null) return problem;
        if (await session.LoadAsync<NotificationSubscription>(subscriptionId) is null) return NotFound(subscriptionId);
        var query = session.Query<NotificationDelivery>().Where(d => d.SubscriptionId == subscriptionId);
        if (state is { } wanted) query = query.Where(d => d.State == wanted);
        var total = await query.CountAsync();
        if (paging!.After is [var before]) query = query.Where(d => d.Sequence < long.Parse(before));
        var page = await query.OrderByDescending(d => d.Sequence).ThenByDescending(d => d.Id).Take(paging.Limit + 1).ToListAsync();
        http.Response.Headers["X-Total-Count"] = total.ToString();
        if (page.Count > paging.Limit)
            http.Response.Headers.Link = $"<{Paging.NextUrl(http.Request, cursors.After(list, page[paging.Limit - 1].Sequence.ToString()))}>; rel=\"next\"";
        return TypedResults.Ok<IReadOnlyList<DeliveryView>>(page.Take(paging.Limit).Select(DeliveryView.Of).ToList());
    }

    public static ProblemHttpResult NotFound(string subscriptionId) => Problem.NotFound($"No subscription '{subscriptionId}'.");
}
