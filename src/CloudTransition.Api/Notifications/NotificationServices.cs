using Marten;

namespace CloudTransition.Api.Notifications;

/// <summary>`Notifications` settings: what an operator may allow that is refused by default, and how long a receiver may take.</summary>
public sealed class NotificationOptions
{
    public bool AllowHttp { get; set; }
    public bool AllowPrivateNetworks { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long an event's notifications may wait while automation sends faster than the service records (0: never wait).</summary>
    public TimeSpan IngestionFirstFor { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Recording comes before telling: while every webhook delivery's turn is taken, the fan-out's sends (CPU the recording needs on a small
/// machine) wait, but an event's notifications no longer than <see cref="NotificationOptions.IngestionFirstFor"/> after it was recorded.
/// </summary>
public static class IngestionFirst
{
    /// <summary>How much longer a page whose oldest event was recorded at <paramref name="oldest"/> may wait.</summary>
    public static TimeSpan WaitLeft(DateTimeOffset oldest, DateTimeOffset now, TimeSpan firstFor)
    {
        var left = firstFor - (now - oldest);
        return left < TimeSpan.Zero ? TimeSpan.Zero : left > firstFor ? firstFor : left;
    }
}

public static class NotificationServices
{
    public static void AddNotifications(this WebApplicationBuilder builder, MartenServiceCollectionExtensions.MartenConfigurationExpression marten)
    {
        var options = builder.Configuration.GetSection("Notifications").Get<NotificationOptions>() ?? new NotificationOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new Common.OutboundTargets(new(options.AllowHttp, options.AllowPrivateNetworks, "Notifications", "url")));
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryWorker>());
        builder.Services.AddSingleton(builder.Configuration.GetSection("Alerts").Get<Alerts.AlertOptions>() ?? new Alerts.AlertOptions());
        builder.Services.AddHostedService<Alerts.AlertWatch>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Smtp").Get<SmtpOptions>() ?? new SmtpOptions());
        builder.Services.AddSingleton<DigestMailer>();
        builder.Services.AddSingleton<DigestSender>();
        builder.Services.AddHostedService<DigestWatch>();
        // From the store's first event: a subscription is only sent what was recorded after it was made (AfterSequence), but the fan-out must
        // not start later than that. "From present" and "from first run" both pin the start at the moment the daemon first runs the shard,
        // which can be seconds after events that subscriptions want (the kill -9 test lost 20 of 480 that way, and 396 with "from present"
        // after restarts). The price: on a store written before notifications, the first run walks its history once.
        marten.AddSubscriptionWithServices<NotificationFanOut>(ServiceLifetime.Singleton);
    }
}
