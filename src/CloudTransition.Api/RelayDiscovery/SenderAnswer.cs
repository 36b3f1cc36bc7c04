using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>A sender seen relaying through Exchange, as every discovery so far saw it, and what to do about it.</summary>
/// <param name="RemoteIp">Its IP address.</param>
/// <param name="Status">unknown (a remaining dependency), registered (a device has its IP) or dismissed.</param>
/// <param name="DeviceId">The device with its IP, when one is registered.</param>
/// <param name="DiscoveryId">The discovery of its latest-seen log (to register it from).</param>
/// <param name="Hostname">The name it gave in EHLO.</param>
/// <param name="LocalIp">The Exchange address it sends to.</param>
/// <param name="LocalPort">The Exchange port it sends to (null when only message tracking saw it).</param>
/// <param name="Connector">The receive connector.</param>
/// <param name="Authenticated">Whether every session that carried mail authenticated (null when only message tracking saw it).</param>
/// <param name="AuthMechanism">Its AUTH mechanism (LOGIN, PLAIN, NTLM…).</param>
/// <param name="Tls">Whether every session that carried mail used TLS (null when only message tracking saw it).</param>
/// <param name="SendsExternal">Whether any recipient is outside the transition's domains.</param>
/// <param name="MessagesPerDay">Messages on its busiest day.</param>
/// <param name="BusiestDay">That day.</param>
/// <param name="RecipientsPerDay">Recipients on its busiest day.</param>
/// <param name="PeakMessagesPerMinute">Messages in its busiest minute.</param>
/// <param name="MaxRecipientsPerMessage">The most recipients of one message.</param>
/// <param name="FirstSeen">Its first message in any log.</param>
/// <param name="LastSeen">Its last message in any log.</param>
/// <param name="DismissedReason">Why it was dismissed.</param>
/// <param name="Facts">The advisor's three facts as the logs show them.</param>
/// <param name="Assumptions">What the advice assumes because no log shows it.</param>
/// <param name="Recommendation">The relay advisor's recommendation from those facts and its volumes.</param>
public record SenderAnswer(string RemoteIp, SenderStatus Status, string? DeviceId, string? DiscoveryId, string? Hostname, string? LocalIp, int? LocalPort, string? Connector,
    bool? Authenticated, string? AuthMechanism, bool? Tls, bool SendsExternal, int MessagesPerDay, DateOnly? BusiestDay, int RecipientsPerDay,
    int PeakMessagesPerMinute, int MaxRecipientsPerMessage, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? DismissedReason,
    DeviceFacts Facts, IReadOnlyList<string> Assumptions, RelayAdvice Recommendation)
{
    public static SenderAnswer Of(RelaySender s, RelayDevice? device, RelayDay day)
    {
        var busiest = s.BusiestDay;
        return new SenderAnswer(s.RemoteIp, SenderRules.Status(s, device), device?.DeviceId, s.DiscoveryId, s.Hostname, s.LocalIp, s.LocalPort, s.Connector,
            s.Authenticated, s.AuthMechanism, s.Tls, s.SendsExternal, busiest?.Messages ?? 0, busiest?.Day, busiest?.Recipients ?? 0,
            s.PeakMessagesPerMinute, s.MaxRecipientsPerMessage, s.FirstSeen, s.LastSeen, s.DismissedReason, SenderRules.Facts(s),
            SenderRules.Assumptions(s), RelayAdvisor.Advise(SenderRules.Facts(s), SenderRules.Volumes(s), day));
    }
}

/// <summary>One reading of Exchange's logs and the senders it showed (each as all discoveries so far saw it).</summary>
/// <param name="DiscoveryId">The discovery's id.</param>
/// <param name="ReadAt">When the logs were read.</param>
/// <param name="Kinds">Which logs the body held.</param>
/// <param name="Lines">Lines read.</param>
/// <param name="Malformed">Lines that could not be read.</param>
/// <param name="FirstMalformed">The first few of them, by line number, and why.</param>
/// <param name="Sessions">SMTP sessions in the protocol logs.</param>
/// <param name="Messages">Messages relayed by the senders found.</param>
/// <param name="Excluded">What was left out as no device, and why.</param>
/// <param name="Senders">Each sender found.</param>
public record DiscoveryAnswer(string DiscoveryId, DateTimeOffset ReadAt, IReadOnlyList<LogKind> Kinds, long Lines, long Malformed,
    IReadOnlyList<MalformedLine> FirstMalformed, long Sessions, long Messages, Excluded Excluded, IReadOnlyList<SenderAnswer> Senders)
{
    public static DiscoveryAnswer Of(RelayDiscoveryRecord d, IReadOnlyList<SenderAnswer> senders)
    {
        var s = d.Summary!;
        return new DiscoveryAnswer(d.DiscoveryId, d.ReadAt, s.Kinds, s.Lines, s.Malformed, s.FirstMalformed, s.Sessions, s.Messages, s.Excluded, senders);
    }
}
