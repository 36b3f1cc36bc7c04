using Marten;

namespace CloudTransition.Api.Notifications;

public enum DigestSchedule { Daily, Weekly }

/// <summary>An e-mail summary sent on a schedule to a list of people: of one transition, or of the tenant's portfolio.</summary>
public class Digest
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public List<string> To { get; set; } = [];
    public DigestSchedule Schedule { get; set; }
    public string? TransitionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSentAt { get; set; }
    public DateTimeOffset NextDueAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>When digests go out: daily at 07:00 UTC, weekly on Mondays at 07:00 UTC.</summary>
public static class DigestRules
{
    public const int SendHour = 7;

    public static DateTimeOffset NextDue(DigestSchedule schedule, DateTimeOffset after)
    {
        var day = new DateTimeOffset(after.UtcDateTime.Date, TimeSpan.Zero).AddHours(SendHour);
        if (day <= after) day = day.AddDays(1);
        if (schedule == DigestSchedule.Weekly)
            while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        return day;
    }

    public static void AddDigestDocuments(this StoreOptions opts) => opts.Schema.For<Digest>().DocumentAlias("notification_digest");
}
