using CloudTransition.Contracts;
using static CloudTransition.Contracts.RelayMethod;

namespace CloudTransition.Api.RelayDevices;

/// <summary>What the tenant has decided that changes which methods work: it rejects direct send (since when), it turned SMTP AUTH Basic back on.</summary>
public record RelayPolicy(DateOnly? RejectsDirectSendSince, bool BasicAuthReenabled)
{
    public static readonly RelayPolicy Default = new(null, false);
}

/// <summary>The day advice is for, under the tenant's policy then.</summary>
public record RelayDay(DateOnly On, RelayPolicy Policy)
{
    public static RelayDay Of(DateTimeOffset at, RelayPolicy policy) => new(DateOnly.FromDateTime(at.UtcDateTime), policy);
}

/// <summary>
/// Microsoft's rules that end a method for a device, with the dates they take effect. A rule change is a code change here, with
/// a test; every device is re-judged from its facts on each read, so nothing stored needs migrating.
/// </summary>
public static class RelayRules
{
    /// <summary>MC786329 (updated 27 Jan 2026): SMTP AUTH Basic authentication off by default for existing tenants at the end of December 2026.</summary>
    public static readonly DateOnly BasicAuthOffByDefault = new(2026, 12, 31);

    /// <summary>Its final removal: Microsoft will announce the date in the second half of 2027; null until then.</summary>
    public static readonly DateOnly? BasicAuthRemoved = null;

    /// <summary>How far ahead a method's end counts as soon: the advisor prefers another, the dashboard lists the device.</summary>
    public const int SoonDays = 90;

    /// <summary>When the method stops working for the device under the policy; null when no end is known.</summary>
    public static DateOnly? StopsWorking(DeviceFacts facts, RelayMethod method, RelayPolicy policy) => method switch
    {
        AuthenticatedSubmission587 or AuthenticatedPort25 when facts.BasicAuthOnly == true => policy.BasicAuthReenabled ? BasicAuthRemoved : BasicAuthOffByDefault,
        DirectSend => policy.RejectsDirectSendSince,
        _ => null,
    };

    public static bool WorksOn(DeviceFacts facts, RelayMethod method, RelayDay day) => StopsWorking(facts, method, day.Policy) is not { } stop || day.On < stop;

    /// <summary>Works now and for the next <see cref="SoonDays"/> days.</summary>
    public static bool Lasts(DeviceFacts facts, RelayMethod method, RelayDay day) =>
        StopsWorking(facts, method, day.Policy) is not { } stop || day.On.AddDays(SoonDays) < stop;

    /// <summary>Why the method does not work for the device on the day; null when it does.</summary>
    public static string? Ended(DeviceFacts facts, RelayMethod method, RelayDay day) =>
        WorksOn(facts, method, day) ? null : method switch
        {
            DirectSend => $"The tenant rejects direct send (Set-OrganizationConfig -RejectDirectSend $true) since {day.Policy.RejectsDirectSendSince:yyyy-MM-dd}.",
            _ => $"SMTP AUTH Basic authentication is off by default from {BasicAuthOffByDefault:yyyy-MM-dd} (Microsoft MC786329) and the device only does basic authentication.",
        };

    /// <summary>When the method stops, in words, for a method that still works on the day; null when no end is known.</summary>
    public static string? EndsIn(DeviceFacts facts, RelayMethod method, RelayDay day) =>
        StopsWorking(facts, method, day.Policy) switch
        {
            { } stop when method is AuthenticatedSubmission587 or AuthenticatedPort25 =>
                $"Works until {stop:yyyy-MM-dd}: SMTP AUTH Basic authentication is off by default from then (Microsoft MC786329); move the device to OAuth, or see the alternatives.",
            { } stop => $"Works until {stop:yyyy-MM-dd}.",
            null when method is AuthenticatedSubmission587 or AuthenticatedPort25 && facts.BasicAuthOnly == true =>
                "Works while the tenant keeps SMTP AUTH Basic authentication on: Microsoft removes it at a date it will announce in the second half of 2027.",
            _ => null,
        };
}
