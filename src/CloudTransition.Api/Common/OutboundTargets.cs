using System.Net;
using System.Net.Sockets;
namespace CloudTransition.Api.Common;

/// <summary>What an operator allows the service to reach, from which settings section (named in refusals), and the field a refusal names.</summary>
public sealed record OutboundRules(bool AllowHttp, bool AllowPrivateNetworks, string Settings, string Field);

/// <summary>
/// Where the service may connect to on a tenant's say-so (notification targets, identity providers): https, to public addresses only
/// (unless the operator allows http or private networks), never to link-local or cloud-metadata addresses. Checked on the URL when
/// it is registered and on every address the name resolves to at each connection, so a name re-pointed at an internal address
/// later is refused too.
/// </summary>
public sealed class OutboundTargets(OutboundRules rules)
{
    private static readonly IPAddress[] Metadata = [IPAddress.Parse("100.100.100.200"), IPAddress.Parse("fd00:ec2::254")];

    /// <summary>Why the URL may not be a target, or null.</summary>
    public async Task<string?> Refusal(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            return $"{rules.Field} must be an absolute https URL.";
        if (uri.Scheme == "http" && !rules.AllowHttp) return $"{rules.Field} must use https (the operator may allow http with {rules.Settings}__AllowHttp=true).";
        if (uri.UserInfo.Length > 0) return $"{rules.Field} must not carry a user name or password.";
        if (uri.Fragment.Length > 0) return $"{rules.Field} must not have a fragment.";
        try { return Refusal(await Resolve(uri.IdnHost, ct)); }
        catch (SocketException) { return $"{rules.Field}'s host '{uri.Host}' does not resolve."; }
    }

    /// <summary>Why one of the addresses a name resolves to may not be connected to, or null.</summary>
    public string? Refusal(IReadOnlyList<IPAddress> addresses)
    {
        foreach (var address in addresses.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a))
        {
            if (IsLinkLocal(address) || Metadata.Contains(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IsMulticast(address))
                return $"{rules.Field} resolves to {address}, a link-local, metadata or unroutable address, which is never a target.";
            if (!IpAddresses.IsPublic(address) && !rules.AllowPrivateNetworks)
                return $"{rules.Field} resolves to {address}, a loopback or private address (the operator may allow these with {rules.Settings}__AllowPrivateNetworks=true).";
        }
        return addresses.Count == 0 ? $"{rules.Field}'s host resolves to no address." : null;
    }

    /// <summary>Opens the connection for the HTTP client, to an address that passed the check just now.</summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await Resolve(context.DnsEndPoint.Host, ct);
        if (Refusal(addresses) is { } refusal) throw new TargetRefusedException(refusal);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses.ToArray(), context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IReadOnlyList<IPAddress>> Resolve(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    private static bool IsLinkLocal(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 ? a.IsIPv6LinkLocal : a.GetAddressBytes() is [169, 254, _, _];

    private static bool IsMulticast(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 ? a.IsIPv6Multicast : a.GetAddressBytes()[0] >= 224;
}

public sealed class TargetRefusedException(string message) : Exception(message);
