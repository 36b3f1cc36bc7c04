using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>What a body of Exchange logs showed.</summary>
public record RelayDigest(IReadOnlyList<LogKind> Kinds, long Lines, long Malformed, IReadOnlyList<MalformedLine> FirstMalformed, long Sessions,
    long Messages, Excluded Excluded, IReadOnlyList<SenderObservation> Senders);

public static class SenderFinding
{
    /// <summary>
    /// One sender as both kinds of log saw it: session facts from the protocol log (message tracking shows no port, AUTH or TLS);
    /// each day's volume the larger of the two, so a message both logs recorded counts once.
    /// </summary>
    public static SenderObservation Of(SenderTally? protocol, SenderTally? tracking)
    {
        var tallies = new[] { protocol, tracking }.OfType<SenderTally>().ToList();
        var days = tallies.SelectMany(t => t.Days).GroupBy(d => d.Key)
            .Select(g => new DayVolume(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + g.Key),
                g.Max(d => d.Value.Messages), g.Max(d => d.Value.Recipients)))
            .OrderBy(d => d.Day).ToList();
        var anyMail = protocol is { Sessions: > 0 };
        return new SenderObservation(tallies[0].RemoteIp, protocol?.Hostname ?? tracking?.Hostname, protocol?.LocalIp ?? tracking?.LocalIp,
            protocol?.LocalPort, protocol?.Connector ?? tracking?.Connector,
            anyMail ? protocol!.AuthenticatedSessions == protocol.Sessions : null, protocol?.AuthMechanism,
            anyMail ? protocol!.TlsSessions == protocol.Sessions : null,
            tallies.Any(t => t.SendsExternal), days, tallies.Max(t => t.Minutes.Count == 0 ? 0 : t.Minutes.Values.Max()),
            tallies.Max(t => t.MaxRecipientsPerMessage), tallies.Min(t => t.FirstSeen), tallies.Max(t => t.LastSeen));
    }
}
