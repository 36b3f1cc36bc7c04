using System.Net;
using System.Net.Sockets;

namespace CloudTransition.Api.Common;

/// <summary>IP addresses as people and logs write them: a dotted quad or IPv6. Not the legacy forms `IPAddress.TryParse` also takes (`10.0.2` is 10.0.0.2).</summary>
public static class IpAddresses
{
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':')) return IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.Length is 0 or > 3 || part.ContainsAnyExcept("0123456789") || int.Parse(part) > 255) return false;
        }
        return parts == 4 && IPAddress.TryParse(text, out address!);
    }

    public static bool IsValid(string? text) => text is not null && TryParse(text, out _);

    /// <summary>The address in its one canonical form (IPv6 compressed, lower case).</summary>
    public static string Canonical(string text) => TryParse(text, out var address) ? address.ToString() : text;
}
