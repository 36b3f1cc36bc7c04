namespace CloudTransition.Api.RelayDiscovery;

/// <summary>What one kind of log showed of one sender IP: its sessions' facts and its volumes per day and per minute.</summary>
public sealed class SenderTally(string remoteIp)
{
    public string RemoteIp { get; } = remoteIp;
    public string? Hostname { get; private set; }
    public string? LocalIp { get; private set; }
    public int? LocalPort { get; private set; }
    public string? Connector { get; private set; }
    public string? AuthMechanism { get; private set; }
    public int Sessions { get; private set; }
    public int AuthenticatedSessions { get; private set; }
    public int TlsSessions { get; private set; }
    public long Messages { get; private set; }
    public bool SendsExternal { get; private set; }
    public int MaxRecipientsPerMessage { get; private set; }
    public DateTimeOffset FirstSeen { get; private set; } = DateTimeOffset.MaxValue;
    public DateTimeOffset LastSeen { get; private set; } = DateTimeOffset.MinValue;
    public Dictionary<int, (int Messages, int Recipients)> Days { get; } = [];
    public Dictionary<int, int> Minutes { get; } = [];
    private DateTimeOffset _latestSession = DateTimeOffset.MinValue;

    /// <summary>A session (or, in message tracking, a message's hop) that carried mail; the latest one names host, port and connector.</summary>
    public void Session(DateTimeOffset at, string? hostname, string? localIp, int? localPort, string? connector, bool? authenticated, string? mechanism, bool? tls)
    {
        if (authenticated is not null) Sessions++;
        if (authenticated == true) AuthenticatedSessions++;
        if (tls == true) TlsSessions++;
        if (at < _latestSession) return;
        _latestSession = at;
        (Hostname, LocalIp, LocalPort, Connector) = (hostname ?? Hostname, localIp ?? LocalIp, localPort ?? LocalPort, connector ?? Connector);
        if (mechanism is not null) AuthMechanism = mechanism;
    }

    public void Message(DateTimeOffset at, int recipients, bool external)
    {
        Messages++;
        SendsExternal |= external;
        MaxRecipientsPerMessage = Math.Max(MaxRecipientsPerMessage, recipients);
        if (at < FirstSeen) FirstSeen = at;
        if (at > LastSeen) LastSeen = at;
        var minute = (int)(at.ToUnixTimeSeconds() / 60);
        Minutes[minute] = Minutes.GetValueOrDefault(minute) + 1;
        var day = minute / (24 * 60);
        var (messages, recipientsThatDay) = Days.GetValueOrDefault(day);
        Days[day] = (messages + 1, recipientsThatDay + recipients);
    }
}
