using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// Reads Exchange's SMTP Receive protocol logs and message tracking logs, one line at a time, in any mix: each `#Fields:`
/// header says which kind the lines after it are and where each field is, so files concatenated in any order (and headers
/// repeated mid-stream) read right. Tallies, per sender IP, what the advisor needs; what it cannot read it counts.
/// </summary>
public sealed class RelayLogParser
{
    private const int Samples = 5;
    private const long HopelessAfterLines = 1000;

    private readonly CsvFields _fields = new();
    private readonly ProtocolLog _protocol;
    private readonly TrackingLog _tracking;
    private readonly List<MalformedLine> _samples = [];
    private ILogLayout? _layout;
    private bool _unknownLayout;

    public RelayLogParser(IReadOnlyCollection<string> domains, DateTimeOffset now)
    {
        var context = new LogContext(new RecipientDomains(domains), now + TimeSpan.FromDays(1));
        (_protocol, _tracking) = (new ProtocolLog(context), new TrackingLog(context));
    }

    public long Lines { get; private set; }
    public long Malformed { get; private set; }
    public HashSet<LogKind> Kinds { get; } = [];

    /// <summary>A thousand lines and no `#Fields:` header of either kind: this is no Exchange log, and reading on would only cost.</summary>
    public bool GaveUp => Kinds.Count == 0 && Lines >= HopelessAfterLines;

    public void Line(ReadOnlySpan<byte> line)
    {
        Lines++;
        if (line.IsEmpty) return;
        if (line[0] == '#')
        {
            Header(line);
            return;
        }
        if (!System.Text.Unicode.Utf8.IsValid(line)) Bad("not UTF-8 text");
        else if (_layout is null) Bad(_unknownLayout
            ? "under a #Fields: header of neither an SMTP Receive protocol log nor a message tracking log"
            : "a data line before any #Fields: header");
        else if (!_fields.Split(line)) Bad("a quoted field is not closed");
        else if (_layout.Read(_fields) is { } problem) Bad(problem);
    }

    public void LineTooLong()
    {
        Lines++;
        Bad($"longer than {LogLines.MaxLineBytes:N0} bytes");
    }

    private void Header(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("#Fields:"u8)) return;
        var names = System.Text.Encoding.UTF8.GetString(line["#Fields:"u8.Length..]).Split(',', StringSplitOptions.TrimEntries);
        _layout = ProtocolLog.Fits(names) ? _protocol.WithFields(names) : TrackingLog.Fits(names) ? _tracking.WithFields(names) : null;
        _unknownLayout = _layout is null;
        if (_layout is not null) Kinds.Add(_layout.Kind);
    }

    private void Bad(string problem)
    {
        Malformed++;
        if (_samples.Count < Samples) _samples.Add(new MalformedLine(Lines, problem));
    }

    /// <summary>What the logs showed: per sender, the two kinds combined (the larger count of each day, so traffic both logs saw counts once).</summary>
    public RelayDigest Finish()
    {
        _protocol.EndOfLogs();
        var senders = _protocol.Senders.Keys.Union(_tracking.Senders.Keys)
            .Select(ip => SenderFinding.Of(_protocol.Senders.GetValueOrDefault(ip), _tracking.Senders.GetValueOrDefault(ip)))
            .OrderBy(s => s.RemoteIp, StringComparer.Ordinal).ToList();
        return new RelayDigest([.. Kinds.Order()], Lines, Malformed, _samples, _protocol.Sessions, _protocol.Messages + _tracking.Messages,
            new Excluded(_protocol.ServerSessions, _protocol.ExchangeOnlineSessions, _protocol.InboundMessages + _tracking.InboundMessages,
                _protocol.SessionsWithoutMail), senders);
    }
}

/// <summary>The recipient domains that are the organisation's own (a subdomain of one is too).</summary>
public sealed class RecipientDomains(IReadOnlyCollection<string> domains)
{
    private readonly string[] _domains = [.. domains.Select(d => d.Trim().ToLowerInvariant())];

    public bool IsInternal(ReadOnlySpan<char> domain)
    {
        foreach (var d in _domains)
            if (domain.Equals(d, StringComparison.OrdinalIgnoreCase)
                || domain.Length > d.Length && domain[^(d.Length + 1)] == '.' && domain.EndsWith(d, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>The domain of an address as SMTP writes it (`&lt;ann@abc.com&gt;`, with or without brackets and parameters); empty for the null sender.</summary>
    public static ReadOnlySpan<char> DomainOf(ReadOnlySpan<char> address)
    {
        var at = address.LastIndexOf('@');
        if (at < 0) return [];
        var domain = address[(at + 1)..];
        var end = domain.IndexOfAny('>', ' ');
        return (end < 0 ? domain : domain[..end]).Trim();
    }
}

/// <summary>What both log readers share: the organisation's domains and the latest instant a line may carry.</summary>
public sealed record LogContext(RecipientDomains Domains, DateTimeOffset Latest);

/// <summary>One kind of log under its current `#Fields:` header.</summary>
public interface ILogLayout
{
    LogKind Kind { get; }

    /// <summary>Reads one data line; answers why it could not, or null.</summary>
    string? Read(CsvFields fields);
}
