namespace CloudTransition.Api.Views.Dashboard;

/// <summary>Dependencies cleared per day over the last 7 and 28 days; items added meanwhile raise the scope and do not lower it.</summary>
public record Velocity(decimal Last7Days, decimal Last28Days);

/// <summary>When the remaining dependencies reach zero at the current pace; null with the reason when that cannot be said.</summary>
public record Forecast(DateOnly? CompletionDate, string Basis);

public static class ForecastRules
{
    public const int MinimumHistoryDays = 7;

    public static Velocity VelocityOf(BurnDown burnDown, DateTimeOffset now)
    {
        var cleared = burnDown.ClearedAt(now);
        decimal Over(int days) => Math.Round((cleared - burnDown.ClearedAt(now.AddDays(-days))) / (decimal)days, 2);
        return new Velocity(Over(7), Over(28));
    }

    public static Forecast Of(int remaining, Velocity velocity, DateTimeOffset? firstEventAt, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (remaining == 0) return new Forecast(today, "Nothing remains on-premises.");
        var history = firstEventAt is { } first ? (now - first).TotalDays : 0;
        if (history < MinimumHistoryDays)
            return new Forecast(null, $"Not enough history: {history:0.#} day(s) of events, a forecast needs {MinimumHistoryDays}.");

        var (pace, basis) = history >= 28 && velocity.Last28Days > 0 ? (velocity.Last28Days, "28-day")
            : velocity.Last7Days > 0 ? (velocity.Last7Days, "7-day") : (0m, "");
        if (pace <= 0) return new Forecast(null, "No dependency was cleared in the last 28 days, so there is no pace to extrapolate.");
        var days = (int)Math.Ceiling(remaining / pace);
        return new Forecast(today.AddDays(days),
            $"{remaining} remaining at the {basis} pace of {pace} cleared per day (items added meanwhile raise the scope, not the pace).");
    }
}
