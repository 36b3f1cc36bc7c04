using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.RelayDevices;

public enum DeviceState { Registered, Repointed, Retired }

/// <summary>A device that sends mail through the on-prem relay, and where it sends now.</summary>
public class RelayDevice : ItemSnapshot<RelayDevice>
{
    public string DeviceId { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string Name { get; set; } = "";
    public DeviceKind Kind { get; set; }
    public DeviceFacts Facts { get; set; } = new(false, false, false);
    public DeviceVolumes Volumes { get; set; } = new(null, null, null);
    public string CurrentTarget { get; set; } = "";
    public DeviceState State { get; set; }
    public RelayMethod? Method { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public bool Override { get; set; }
    public string? Justification { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }

    public static RelayDevice Create(RelayDeviceRegistered e) => new()
    {
        DeviceId = e.DeviceId, TransitionId = e.TransitionId, Name = e.Name, Kind = e.Kind, Facts = e.Facts,
        Volumes = e.Volumes, CurrentTarget = e.CurrentTarget, RegisteredAt = e.OccurredAt,
    };

    public void Apply(RelayDeviceRepointed e)
    {
        (State, Method, Host, Port, Override, Justification, ChangedAt) =
            (DeviceState.Repointed, e.Method, e.Host, e.Port, e.Override, e.Justification, e.OccurredAt);
        CurrentTarget = $"{e.Host}:{e.Port}";
    }

    public void Apply(RelayDeviceRetired e) => (State, ChangedAt) = (DeviceState.Retired, e.OccurredAt);

    public static string Key(string transitionId, string deviceId) => $"{TransitionStreams.Prefix(transitionId)}device/{deviceId}";
}

/// <summary>A device as the API shows it: its state and the advisor's recommendation.</summary>
public record DeviceView(RelayDevice Device, RelayAdvice Recommendation)
{
    public static DeviceView Of(RelayDevice device) => new(device, RelayAdvisor.Advise(device.Facts, device.Volumes));
}

public static class RelayDeviceDocuments
{
    public static void AddRelayDeviceDocuments(this StoreOptions opts)
    {
        opts.Projections.Snapshot<RelayDevice>(SnapshotLifecycle.Inline);
        opts.Schema.For<RelayDevice>().Duplicate(d => d.TransitionId, configure: TransitionIndex.PerTenant);
    }
}
