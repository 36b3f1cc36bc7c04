using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

public enum SenderStatus { Unknown, Registered, Dismissed }

/// <summary>
/// The one place that says what a sender seen in Exchange's logs is: a registered device when a device with its IP is
/// registered and was not retired before the sender was last seen; dismissed when someone said so; else an unknown sender,
/// which keeps Exchange on. And what the logs say about the device for the relay advisor, with what they cannot say.
/// </summary>
public static class SenderRules
{
    /// <summary>The device that accounts for the sender, if any (the earliest registered, for a stable answer).</summary>
    public static RelayDevice? Device(RelaySender sender, IEnumerable<RelayDevice> devices) =>
        devices.Where(d => d.IpAddress == sender.RemoteIp && (d.State != DeviceState.Retired || d.ChangedAt >= sender.LastSeen))
            .OrderBy(d => d.RegisteredAt).ThenBy(d => d.DeviceId, StringComparer.Ordinal).FirstOrDefault();

    public static SenderStatus Status(RelaySender sender, RelayDevice? device) =>
        device is not null ? SenderStatus.Registered : sender.IsDismissed ? SenderStatus.Dismissed : SenderStatus.Unknown;

    /// <summary>The three facts, read conservatively where the log cannot show them (see <see cref="Assumptions"/>).</summary>
    public static DeviceFacts Facts(RelaySender s) => new(
        CanChangePort: s.LocalPort is { } port && port != 25,
        SupportsSmtpAuth: s.Authenticated == true,
        SendsExternal: s.SendsExternal,
        BasicAuthOnly: s.Authenticated == true ? !string.Equals(s.AuthMechanism, "XOAUTH2", StringComparison.OrdinalIgnoreCase) : null);

    public static DeviceVolumes Volumes(RelaySender s) =>
        new(s.BusiestDay?.Messages, s.PeakMessagesPerMinute, s.MaxRecipientsPerMessage, s.BusiestDay?.Recipients);

    /// <summary>What the advice assumes because no log shows it.</summary>
    public static IReadOnlyList<string> Assumptions(RelaySender s)
    {
        var assumptions = new List<string>();
        if (s.LocalPort is null or 25)
            assumptions.Add("The logs cannot show whether it can use a port other than 25: taken as no until someone checks.");
        if (s.Authenticated is null)
            assumptions.Add("Message tracking shows no SMTP AUTH: taken as unauthenticated until a protocol log or someone says otherwise.");
        else if (s.Authenticated == false)
            assumptions.Add("It relays without SMTP AUTH (in some or all sessions): taken as unable to authenticate until someone checks.");
        else
            assumptions.Add($"It authenticates with {s.AuthMechanism ?? "SMTP AUTH"}: taken as basic authentication only until someone confirms OAuth.");
        return assumptions;
    }

    public static string CurrentTarget(RelaySender s) => $"{s.LocalIp ?? "exchange"}:{s.LocalPort ?? 25}";

    /// <summary>An unknown sender as a remaining dependency: it keeps Exchange on until registered or dismissed.</summary>
    public static DependencyItem Dependency(RelaySender s) =>
        new(Categories.UnknownSenders, s.RemoteIp,
            $"relays through {s.Connector ?? "Exchange"} ({CurrentTarget(s)}){(s.Hostname is { } host ? $" as {host}" : "")}, last seen {s.LastSeen:u}; no device is registered for it",
            "register it as a device (from its discovery) or dismiss it with a reason", KeepsExchange: true);

    /// <summary>When the sender stopped being unknown: dismissed, or a device registered for it; null while it is unknown.</summary>
    public static DateTimeOffset? ClearedAt(RelaySender sender, RelayDevice? device)
    {
        var dismissed = sender.Ledger.Flips.Count > 0 ? sender.Ledger.Flips[0].At : (DateTimeOffset?)null;
        var registered = device?.RegisteredAt;
        return dismissed is null ? registered : registered is null ? dismissed : dismissed < registered ? dismissed : registered;
    }
}
