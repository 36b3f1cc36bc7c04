using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.RelayDiscovery;

/// <param name="RemoteIps">The IPs of the discovery's senders to register as devices (1–500).</param>
/// <param name="Kind">What they are: printer, scanner, application or other (default other).</param>
public record RegisterFindings(IReadOnlyList<string>? RemoteIps, DeviceKind? Kind)
{
    public const int MaxIps = 500;

    public class Validator : AbstractValidator<RegisterFindings>
    {
        public Validator()
        {
            RuleFor(x => x.RemoteIps).NotEmpty().Must(ips => ips!.Count <= MaxIps).WithMessage($"At most {MaxIps} IPs per request.");
            RuleForEach(x => x.RemoteIps).Must(IpAddresses.IsValid).WithMessage("'{PropertyValue}' is no IP address.");
        }
    }
}

/// <param name="RemoteIp">The sender's IP.</param>
/// <param name="DeviceId">The device registered for it now, or the one that already had its IP.</param>
/// <param name="Registered">Whether this request registered it.</param>
/// <param name="Detail">What happened, in words.</param>
public record RegisteredFinding(string RemoteIp, string DeviceId, bool Registered, string Detail);

public static class RegisterFindingsEndpoint
{
    /// <summary>A device for a sender, its facts and volumes as the logs show them (conservatively where they cannot).</summary>
    public static RelayDeviceRegistered Device(RelaySender s, string id, string deviceId, DeviceKind kind, DateTimeOffset at)
    {
        var name = s.Hostname is { Length: > 0 and <= 200 } host ? host : s.RemoteIp;
        return new RelayDeviceRegistered(id, deviceId, name, kind, SenderRules.Facts(s), SenderRules.CurrentTarget(s), SenderRules.Volumes(s), at)
        {
            IpAddress = s.RemoteIp,
        };
    }

    public static async Task<Outcome<List<RegisteredFinding>>> Handle(string id, string discoveryId, RegisterFindings r, IDocumentSession session, TimeProvider time)
    {
        if (await session.LoadAsync<RelayDiscoveryRecord>(RelayDiscoveryRecord.Key(id, discoveryId)) is not { } discovery)
            return new Refusal.NotFound($"No relay discovery '{discoveryId}' in transition '{id}'.");
        var ips = r.RemoteIps!.Select(IpAddresses.Canonical).ToList();
        var strangers = ips.Select((ip, i) => (ip, i)).Where(p => !discovery.Summary!.Senders.Contains(p.ip)).ToList();
        if (strangers.Count > 0)
            return new Refusal.Invalid(strangers.ToDictionary(p => $"remoteIps[{p.i}]", p => new[] { $"Discovery '{discoveryId}' found no sender '{p.ip}'." }));

        var senders = (await session.Query<RelaySender>().Where(s => s.TransitionId == id && ips.Contains(s.RemoteIp)).ToListAsync()).ToDictionary(s => s.RemoteIp);
        var devices = (await ReadDiscoveriesEndpoints.Devices(session, id)).ToList();
        var results = new List<RegisteredFinding>();
        foreach (var ip in ips.Distinct())
        {
            var sender = senders[ip];
            if (SenderRules.Device(sender, devices) is { } device)
            {
                results.Add(new RegisteredFinding(ip, device.DeviceId, false, $"Already registered as device '{device.Name}'."));
                continue;
            }
            var e = Device(sender, id, TransitionChecks.NewItemId(), r.Kind ?? DeviceKind.Other, time.GetUtcNow());
            var registered = session.StartWith<RelayDevice>(RelayDevice.Key(id, e.DeviceId), Decision.Accept(e), RelayDevice.Fold).State!;
            devices.Add(registered);
            results.Add(new RegisteredFinding(ip, e.DeviceId, true, $"Registered as device '{e.Name}'."));
        }
        return new Outcome<List<RegisteredFinding>>(results, null, results.Count(x => x.Registered));
    }

    [Tags("Relay discovery")]
    [RequestExample("""{"remoteIps":["10.0.1.50"],"kind":"printer"}""")]
    [WolverinePost("/api/transitions/{id}/relay-discovery/{discoveryId}/register", OperationId = "registerRelayFindings",
        Summary = "Register devices from a discovery's senders",
        Description = "Each IP becomes a relay device named by its EHLO name (else its IP), with its IP, the facts and volumes the logs show and where it " +
                      "sends now; a sender a device already has the IP of is left as it is. An IP the discovery did not find is 400 naming it, and nothing is registered.")]
    public static async Task<Results<Ok<List<RegisteredFinding>>, ProblemHttpResult>> Post(string id, string discoveryId, RegisterFindings request,
        IDocumentSession session, TimeProvider time) =>
        (await Handle(id, discoveryId, request, session, time)).Answer(results => TypedResults.Ok(results));
}
