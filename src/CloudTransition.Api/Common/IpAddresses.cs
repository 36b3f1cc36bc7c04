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

    /// <summary>Whether the address is on the internet: not private, loopback, link-local, shared (CGNAT) or unique-local.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 172 && b[1] is >= 16 and <= 31 || b[0] == 192 && b[1] == 168 || b[0] == 169 && b[1] == 254
                 || b[0] == 100 && b[1] is >= 64 and <= 127 || b[0] == 0);
    }
}
