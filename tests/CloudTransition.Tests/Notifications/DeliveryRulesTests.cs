using CloudTransition.Api.Notifications;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.Notifications;

public class DeliveryRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_delivery_is_retried_after_5_s_5_min_30_min_2_h_5_h_10_h_and_10_h_then_has_failed()
    {
        var delivery = new NotificationDelivery { State = DeliveryState.Pending };
        var subscription = new NotificationSubscription { State = SubscriptionState.Active };
        var now = Start;
        var waits = new List<TimeSpan>();
        while (delivery.State == DeliveryState.Pending)
        {
            DeliveryRules.FailedAttempt(delivery, subscription, 503, null, "busy", now);
            if (delivery.NextAttemptAt is { } next) waits.Add(next - now);
            now = delivery.NextAttemptAt ?? now;
        }
        Assert.Equal(new[] { 5, 300, 1800, 7200, 18000, 36000, 36000 }.Select(s => TimeSpan.FromSeconds(s)), waits);
        Assert.Equal((DeliveryState.Failed, 8, 503), (delivery.State, delivery.Attempts, delivery.LastStatus));
    }

    [Fact]
    public void a_subscription_failing_for_24_hours_straight_is_disabled_and_a_success_clears_the_count()
    {
        var subscription = new NotificationSubscription { State = SubscriptionState.Active };
        DeliveryRules.FailedAttempt(new NotificationDelivery(), subscription, null, "timeout", null, Start);
        DeliveryRules.Succeeded(new NotificationDelivery(), subscription, 200, "ok", Start.AddHours(20));
        Assert.Null(subscription.FailingSince);

        DeliveryRules.FailedAttempt(new NotificationDelivery(), subscription, 500, null, null, Start.AddHours(21));
        DeliveryRules.FailedAttempt(new NotificationDelivery(), subscription, 500, null, null, Start.AddHours(44));
        Assert.Equal(SubscriptionState.Active, subscription.State);
        DeliveryRules.FailedAttempt(new NotificationDelivery(), subscription, 500, null, null, Start.AddHours(45));
        Assert.Equal(SubscriptionState.Disabled, subscription.State);
        Assert.Contains("24 hours", subscription.DisabledReason);
    }

    [Fact]
    public void every_event_a_transition_records_has_a_notification_type()
    {
        var events = typeof(ITransitionEvent).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITransitionEvent).IsAssignableFrom(t));
        Assert.Empty(events.Where(t => t != typeof(AlertRaised) && !NotificationTypes.OfEvent.ContainsKey(t)).Select(t => t.Name));
    }

    [Fact]
    public void notifications_wait_for_ingestion_only_what_is_left_of_their_allowance()
    {
        var allowance = TimeSpan.FromSeconds(30);
        Assert.Equal(TimeSpan.FromSeconds(30), IngestionFirst.WaitLeft(Start, Start, allowance));
        Assert.Equal(TimeSpan.FromSeconds(12), IngestionFirst.WaitLeft(Start, Start.AddSeconds(18), allowance));
        Assert.Equal(TimeSpan.Zero, IngestionFirst.WaitLeft(Start, Start.AddMinutes(5), allowance));
        Assert.Equal(allowance, IngestionFirst.WaitLeft(Start.AddSeconds(3), Start, allowance)); // a clock behind the store's never waits longer
        Assert.Equal(TimeSpan.Zero, IngestionFirst.WaitLeft(Start, Start, TimeSpan.Zero));
    }
}
