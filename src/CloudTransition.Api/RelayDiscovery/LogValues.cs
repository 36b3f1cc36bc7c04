using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>The values Exchange's logs hold: ISO-8601 UTC instants and IP endpoints.</summary>
public static class LogValues
{
    /// <summary>`2026-12-03T08:15:02.123Z` (any number of fraction digits, or none); other ISO-8601 forms through the general parser.</summary>
    public static bool TryInstant(ReadOnlySpan<byte> text, out DateTimeOffset at)
    {
        at = default;
        if (text.Length >= 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[^1] == 'Z'
            && Number(text[..4], out var year) && Number(text[5..7], out var month) && Number(text[8..10], out var day)
            && Number(text[11..13], out var hour) && Number(text[14..16], out var minute) && Number(text[17..19], out var second)
            && year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60)
        {
            long ticks = 0;
            if (text.Length > 20)
            {
                if (text[19] != '.' || !Fraction(text[20..^1], out ticks)) return false;
            }
            else if (text[19] != 'Z') return false;
            at = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks));
            return true;
        }
        return DateTimeOffset.TryParse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    private static bool Number(ReadOnlySpan<byte> digits, out int value) => Utf8Parser.TryParse(digits, out value, out var used) && used == digits.Length;

    private static bool Fraction(ReadOnlySpan<byte> digits, out long ticks)
    {
        ticks = 0;
        if (digits.Length is 0 or > 7) return false;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9') return false;
            ticks = ticks * 10 + (d - '0');
        }
        for (var i = digits.Length; i < 7; i++) ticks *= 10;
        return true;
    }

    /// <summary>`10.0.0.50:51234`, `[2001:db8::5]:25` or an address without a port.</summary>
    public static bool TryEndpoint(ReadOnlySpan<byte> text, out IPAddress address, out int? port)
    {
        (address, port) = (IPAddress.None, null);
        if (text.Length > 64) return false;
        ReadOnlySpan<char> s = Encoding.ASCII.GetString(text);
        var host = s;
        var portText = ReadOnlySpan<char>.Empty;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0) return false;
            host = s[1..close];
            if (close + 1 < s.Length)
            {
                if (s[close + 1] != ':') return false;
                portText = s[(close + 2)..];
            }
        }
        else if (s.Count(':') == 1)
        {
            var colon = s.IndexOf(':');
            host = s[..colon];
            portText = s[(colon + 1)..];
        }
        if (!Common.IpAddresses.TryParse(host, out address)) return false;
        if (portText.IsEmpty) return true;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535) return false;
        port = p;
        return true;
    }
}
