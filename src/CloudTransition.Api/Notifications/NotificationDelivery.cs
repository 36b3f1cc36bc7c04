namespace CloudTransition.Api.Notifications;

public enum DeliveryState { Pending, Delivered, Failed }

/// <summary>
/// One event (or alert, or ping) on its way to one subscription, with its log: written by <see cref="NotificationFanOut"/> in the
/// transaction that moves the fan-out past the event, so an event is queued for each subscription exactly once.
/// </summary>
public class NotificationDelivery
{
    public string TenantId { get; set; } = "";
    /// <summary>Also the `webhook-id`, the same on every attempt: the subscription and the event's sequence.</summary>
    public string Id { get; set; } = "";
    public string SubscriptionId { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public long Sequence { get; set; }
    public string Type { get; set; } = "";
    /// <summary>When the event was recorded (the payload's `timestamp`).</summary>
    public DateTimeOffset Timestamp { get; set; }
    /// <summary>The event as JSON, fixed when queued so that every attempt sends the same bytes; empty once delivered.</summary>
    public string Data { get; set; } = "{}";

    public DeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatus { get; set; }
    /// <summary>Why the last attempt failed without an answer (refused target, timeout, connection), or null.</summary>
    public string? LastError { get; set; }
    /// <summary>The first bytes of the last answer.</summary>
    public string? LastResponse { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>When a failed delivery is tried again, and when a subscription that keeps failing is turned off.</summary>
public static class DeliveryRules
{
    /// <summary>The waits after the 1st, 2nd, … failed attempt; after the last, the delivery has failed.</summary>
    public static readonly IReadOnlyList<TimeSpan> Retries =
        [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)];

    public static readonly TimeSpan DisableAfter = TimeSpan.FromHours(24);

    public static void Succeeded(NotificationDelivery d, NotificationSubscription s, int status, string? response, DateTimeOffset now)
    {
        Delivered(d, status, response, now);
        (s.FailingSince, s.LastDeliveredAt) = (null, now);
    }

    /// <summary>The delivery after it was accepted: never sent again, so the log keeps what happened and drops the event's copy.</summary>
    public static void Delivered(NotificationDelivery d, int status, string? response, DateTimeOffset now)
    {
        Attempted(d, status, null, response, now);
        (d.State, d.NextAttemptAt, d.DeliveredAt, d.Data) = (DeliveryState.Delivered, null, now, "");
    }

    public static void FailedAttempt(NotificationDelivery d, NotificationSubscription s, int? status, string? error, string? response, DateTimeOffset now)
    {
        Retrying(d, status, error, response, now);
        s.FailingSince ??= now;
        if (now - s.FailingSince >= DisableAfter && s.State == SubscriptionState.Active)
            (s.State, s.DisabledReason) = (SubscriptionState.Disabled, $"Every delivery failed for 24 hours (since {s.FailingSince:u}); the last: {error ?? $"HTTP {status}"}.");
    }

    /// <summary>The delivery after a failed attempt: pending until its next retry, or failed after the last.</summary>
    public static void Retrying(NotificationDelivery d, int? status, string? error, string? response, DateTimeOffset now)
    {
        Attempted(d, status, error, response, now);
        var retry = d.Attempts <= Retries.Count;
        (d.State, d.NextAttemptAt) = retry ? (DeliveryState.Pending, now + Retries[d.Attempts - 1]) : (DeliveryState.Failed, (DateTimeOffset?)null);
    }

    private static void Attempted(NotificationDelivery d, int? status, string? error, string? response, DateTimeOffset now) =>
        (d.Attempts, d.LastAttemptAt, d.LastStatus, d.LastError, d.LastResponse) = (d.Attempts + 1, now, status, error, response);
}
