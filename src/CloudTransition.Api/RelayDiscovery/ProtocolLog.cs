using System.Net;
using System.Text;
using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// An SMTP Receive protocol log (`#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context`):
/// follows each session by its id across lines and files, and tallies its messages on its sender when it ends (or the logs do).
/// A message counts from its MAIL FROM once it names a recipient, whether Exchange queued it or refused to relay it: either way the
/// sender is relaying through Exchange. Sessions between Exchange servers (X-ANONYMOUSTLS, XPROXYFROM), from Exchange Online, and
/// mail from the internet to the organisation are left out and counted.
/// </summary>
public sealed class ProtocolLog(LogContext context) : ILogLayout
{
    private static readonly string[] Required = ["date-time", "connector-id", "session-id", "local-endpoint", "remote-endpoint", "event", "data"];
    private readonly Dictionary<ulong, Session> _open = [];
    private readonly Dictionary<ulong, string> _connectors = [];
    private int _time, _connector, _session, _local, _remote, _event, _data, _context, _width;

    public LogKind Kind => LogKind.SmtpReceive;
    public Dictionary<string, SenderTally> Senders { get; } = new(StringComparer.Ordinal);
    public long Sessions { get; private set; }
    public long Messages { get; private set; }
    public long ServerSessions { get; private set; }
    public long ExchangeOnlineSessions { get; private set; }
    public long InboundMessages { get; private set; }
    public long SessionsWithoutMail { get; private set; }

    public static bool Fits(string[] names) => Required.All(names.Contains);

    public ProtocolLog WithFields(string[] names)
    {
        int At(string name) => Array.IndexOf(names, name);
        (_time, _connector, _session, _local, _remote, _event, _data, _context) =
            (At("date-time"), At("connector-id"), At("session-id"), At("local-endpoint"), At("remote-endpoint"), At("event"), At("data"), At("context"));
        _width = Required.Max(At) + 1;
        return this;
    }

    public string? Read(CsvFields f)
    {
        if (f.Count < _width) return $"{f.Count} fields where the #Fields: header names {_width} or more";
        if (!LogValues.TryInstant(f[_time], out var at)) return "its date-time is no ISO-8601 instant";
        if (at > context.Latest) return "dated more than a day in the future";
        var ev = f[_event];
        if (ev.Length != 1 || "+-<>*"u8.IndexOf(ev[0]) < 0) return "its event is none of + - < > *";
        var key = Key(f[_connector], f[_session]);
        if (!_open.TryGetValue(key, out var session))
        {
            if (!LogValues.TryEndpoint(f[_remote], out var remote, out _)) return "its remote-endpoint is no IP address";
            LogValues.TryEndpoint(f[_local], out var local, out var port);
            _open[key] = session = new Session(remote, local.Equals(IPAddress.None) ? null : local.ToString(), port, Connector(f[_connector]));
            Sessions++;
        }
        var data = f[_data];
        switch (ev[0])
        {
            case (byte)'<': Command(session, data, at); break;
            case (byte)'*': Information(session, data, _context >= 0 ? f[_context] : []); break;
            case (byte)'>' when data.StartsWith("250 2.6.0"u8): session.EndMessage(this); break;
            case (byte)'-': End(key, session); break;
        }
        return null;
    }

    private void Command(Session s, ReadOnlySpan<byte> data, DateTimeOffset at)
    {
        if (StartsWith(data, "EHLO "u8) || StartsWith(data, "HELO "u8)) s.Hostname ??= Hostname(data[5..]);
        else if (StartsWith(data, "X-ANONYMOUSTLS"u8) || StartsWith(data, "XPROXYFROM"u8)) s.BetweenServers = true;
        else if (StartsWith(data, "STARTTLS"u8)) s.StartedTls = true;
        else if (StartsWith(data, "AUTH "u8)) s.Mechanism = Encoding.ASCII.GetString(Word(data[5..])).ToUpperInvariant();
        else if (StartsWith(data, "MAIL FROM:"u8))
        {
            s.EndMessage(this);
            s.BeginMessage(at, context.Domains.IsInternal(RecipientDomains.DomainOf(Encoding.UTF8.GetString(data))));
        }
        else if (StartsWith(data, "RCPT TO:"u8)) s.Recipient(context.Domains.IsInternal(RecipientDomains.DomainOf(Encoding.UTF8.GetString(data))));
        else if (StartsWith(data, "RSET"u8)) s.EndMessage(this);
    }

    private static void Information(Session s, ReadOnlySpan<byte> data, ReadOnlySpan<byte> info)
    {
        if (info.SequenceEqual("authenticated"u8)) s.Authenticated = true;
        else if (info.IndexOf("negotiation succeeded"u8) >= 0) s.Tls = true;
    }

    private void End(ulong key, Session session)
    {
        _open.Remove(key);
        session.EndMessage(this);
        if (session.BetweenServers) ServerSessions++;
        else if (session.FromExchangeOnline) ExchangeOnlineSessions++;
        else if (session.Mail == 0) SessionsWithoutMail++;
    }

    /// <summary>Sessions the logs end inside of (a file cut them): what they sent still counts.</summary>
    public void EndOfLogs()
    {
        foreach (var (key, session) in _open.ToList()) End(key, session);
    }

    private void Tally(Session s, DateTimeOffset at, int recipients, bool senderInternal, bool anyExternal)
    {
        if (s.BetweenServers || s.FromExchangeOnline) return;
        if (!senderInternal && !anyExternal && Common.IpAddresses.IsPublic(s.Remote))
        {
            InboundMessages++;
            return;
        }
        Messages++;
        var ip = s.Remote.ToString();
        if (!Senders.TryGetValue(ip, out var tally)) Senders[ip] = tally = new SenderTally(ip);
        if (s.Relayed++ == 0) tally.Session(at, s.Hostname, s.LocalIp, s.LocalPort, s.Connector, s.Authenticated, s.Authenticated ? s.Mechanism : null, s.Tls || s.StartedTls);
        tally.Message(at, recipients, anyExternal);
    }

    private string Connector(ReadOnlySpan<byte> name)
    {
        var hash = Fnv(name);
        if (!_connectors.TryGetValue(hash, out var connector)) _connectors[hash] = connector = Encoding.UTF8.GetString(name).Trim();
        return connector;
    }

    private static ulong Key(ReadOnlySpan<byte> connector, ReadOnlySpan<byte> session) => Fnv(session) * 31 ^ Fnv(connector);

    private static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    private static bool StartsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> command) =>
        data.Length >= command.Length && Ascii.EqualsIgnoreCase(data[..command.Length], command);

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> text)
    {
        var space = text.IndexOf((byte)' ');
        return space < 0 ? text : text[..space];
    }

    private static string? Hostname(ReadOnlySpan<byte> text)
    {
        var name = Encoding.UTF8.GetString(Word(text.TrimStart((byte)' '))).Trim();
        return name.Length == 0 ? null : name;
    }

    private sealed class Session(IPAddress remote, string? localIp, int? localPort, string connector)
    {
        public IPAddress Remote => remote;
        public string? LocalIp => localIp;
        public int? LocalPort => localPort;
        public string Connector => connector;
        public string? Hostname { get; set; }
        public string? Mechanism { get; set; }
        public bool Authenticated { get; set; }
        public bool Tls { get; set; }
        public bool StartedTls { get; set; }
        public bool BetweenServers { get; set; }
        public int Relayed { get; set; }
        public int Mail { get; private set; }
        public bool FromExchangeOnline => Hostname?.EndsWith(".protection.outlook.com", StringComparison.OrdinalIgnoreCase) == true;

        private DateTimeOffset? _messageAt;
        private bool _senderInternal, _anyExternal;
        private int _recipients;

        public void BeginMessage(DateTimeOffset at, bool senderInternal) => (_messageAt, _senderInternal, _anyExternal, _recipients) = (at, senderInternal, false, 0);

        public void Recipient(bool internalRecipient)
        {
            if (_messageAt is null) return;
            _recipients++;
            _anyExternal |= !internalRecipient;
        }

        public void EndMessage(ProtocolLog log)
        {
            if (_messageAt is { } at && _recipients > 0)
            {
                Mail++;
                log.Tally(this, at, _recipients, _senderInternal, _anyExternal);
            }
            _messageAt = null;
        }
    }
}
