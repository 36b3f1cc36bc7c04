using System.Net;
using System.Text;
using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// A message tracking log (its own `#Fields:` header, which differs between Exchange versions): each RECEIVE event with source SMTP
/// is a message received over SMTP. The sender is the device behind the Front End proxy where custom-data names it
/// (`S:ProxiedClientIPAddress=`), else original-client-ip, else client-ip. Tracking logs show no port, AUTH or TLS.
/// </summary>
public sealed class TrackingLog(LogContext context) : ILogLayout
{
    private static readonly string[] Required = ["date-time", "client-ip", "event-id", "source", "recipient-address"];
    private int _time, _clientIp, _clientHost, _serverIp, _connector, _source, _event, _recipients, _count, _sender, _returnPath, _originalIp, _custom, _width;

    public LogKind Kind => LogKind.MessageTracking;
    public Dictionary<string, SenderTally> Senders { get; } = new(StringComparer.Ordinal);
    public long Messages { get; private set; }
    public long InboundMessages { get; private set; }

    public static bool Fits(string[] names) => Required.All(names.Contains);

    public TrackingLog WithFields(string[] names)
    {
        int At(string name) => Array.IndexOf(names, name);
        (_time, _clientIp, _clientHost, _serverIp, _connector, _source, _event) =
            (At("date-time"), At("client-ip"), At("client-hostname"), At("server-ip"), At("connector-id"), At("source"), At("event-id"));
        (_recipients, _count, _sender, _returnPath, _originalIp, _custom) =
            (At("recipient-address"), At("recipient-count"), At("sender-address"), At("return-path"), At("original-client-ip"), At("custom-data"));
        _width = Required.Max(At) + 1;
        return this;
    }

    public string? Read(CsvFields f)
    {
        if (f.Count < _width) return $"{f.Count} fields where the #Fields: header names {_width} or more";
        if (!f[_event].SequenceEqual("RECEIVE"u8) || !f[_source].SequenceEqual("SMTP"u8)) return null;
        if (!LogValues.TryInstant(f[_time], out var at)) return "its date-time is no ISO-8601 instant";
        if (at > context.Latest) return "dated more than a day in the future";
        var custom = Field(f, _custom);
        var sender = Proxied(custom, "S:ProxiedClientIPAddress=") is { } proxied && Common.IpAddresses.TryParse(proxied, out var ip) ? ip
            : LogValues.TryEndpoint(f[_originalIp >= 0 ? _originalIp : _clientIp], out var original, out _) ? original
            : LogValues.TryEndpoint(f[_clientIp], out var client, out _) ? client : null;
        if (sender is null) return "no client-ip";
        var hostname = Proxied(custom, "S:ProxiedClientHostname=") ?? NonEmpty(Field(f, _clientHost));
        if (hostname?.EndsWith(".protection.outlook.com", StringComparison.OrdinalIgnoreCase) == true) return null;

        var recipients = f.Text(_recipients).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var count = Math.Max(recipients.Length, int.TryParse(Field(f, _count), out var n) ? n : 0);
        var anyExternal = recipients.Any(r => !context.Domains.IsInternal(RecipientDomains.DomainOf(r)));
        var senderInternal = context.Domains.IsInternal(RecipientDomains.DomainOf(NonEmpty(Field(f, _returnPath)) ?? Field(f, _sender)));
        if (!senderInternal && !anyExternal && Common.IpAddresses.IsPublic(sender))
        {
            InboundMessages++;
            return null;
        }
        Messages++;
        var key = sender.ToString();
        if (!Senders.TryGetValue(key, out var tally)) Senders[key] = tally = new SenderTally(key);
        tally.Session(at, hostname, NonEmpty(Field(f, _serverIp)), null, NonEmpty(Field(f, _connector)), null, null, null);
        tally.Message(at, count, anyExternal);
        return null;
    }

    private static string Field(CsvFields f, int index) => index < 0 ? "" : f.Text(index);

    private static string? NonEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>A value of custom-data's `S:Name=value;S:…` list.</summary>
    private static string? Proxied(string custom, string name)
    {
        var start = custom.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        if (start < 0) return null;
        start += name.Length;
        var end = custom.IndexOf(';', start);
        return NonEmpty((end < 0 ? custom[start..] : custom[start..end]).Trim());
    }
}
