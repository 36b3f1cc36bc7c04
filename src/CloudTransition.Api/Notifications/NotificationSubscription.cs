using CloudTransition.Api.Webhooks;
using Marten;

namespace CloudTransition.Api.Notifications;

/// <summary>How a notification is written: signed JSON (Standard Webhooks), a Teams Workflows card, a Slack message.</summary>
public enum NotificationFormat { StandardWebhooks, Teams, Slack }

public enum SubscriptionState { Active, Disabled }

/// <summary>A tenant's outbound webhook: where to send which events, in what format.</summary>
public class NotificationSubscription
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The URL, protected: a Teams or Slack webhook URL is itself a credential.</summary>
    public string ProtectedUrl { get; set; } = "";
    /// <summary>The URL as answers show it: scheme, host and port only.</summary>
    public string Target { get; set; } = "";
    public NotificationFormat Format { get; set; }
    public List<string> Events { get; set; } = [];
    public string? TransitionId { get; set; }
    /// <summary>The signing secrets, protected like the inbound ones: after a rotation, the previous one signs too for 24 hours.</summary>
    public List<SourceSecret> Secrets { get; set; } = [];
    public SubscriptionState State { get; set; }
    public string? DisabledReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Events recorded up to this sequence were there before the subscription: not sent.</summary>
    public long AfterSequence { get; set; }
    /// <summary>Since when every attempt has failed; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }

    public bool Wants(string type, string transitionId) =>
        State == SubscriptionState.Active && (TransitionId is null || TransitionId == transitionId) && (Events.Contains(NotificationTypes.Everything) || Events.Contains(type));
}

public static class NotificationDocuments
{
    public static void AddNotificationDocuments(this StoreOptions opts)
    {
        opts.Schema.For<NotificationSubscription>().DocumentAlias("notification_subscription");
        // Most deliveries are logged once, delivered, and never change: only the queries of the log (by subscription, newest first) index
        // them; the worker's (what is pending, and when) index the few still pending.
        const string pending = "state = 'Pending'";
        opts.Schema.For<NotificationDelivery>().DocumentAlias("notification_delivery")
            .Duplicate(d => d.SubscriptionId).Duplicate(d => d.Sequence)
            .Duplicate(d => d.State, configure: i => i.Predicate = pending).Duplicate(d => d.NextAttemptAt, configure: i => i.Predicate = pending);
    }
}
