using System.Text.Json.Serialization;
using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.RelayDevices;

public enum DeviceState { Registered, Repointed, Retired }

/// <summary>A device that sends mail through the on-prem relay, and where it sends now (its latest report by occurredAt).</summary>
public sealed record RelayDevice : ItemState, IDependency
{
    public string DeviceId { get; init; } = "";
    public string Name { get; init; } = "";
    public DeviceKind Kind { get; init; }
    public string? IpAddress { get; init; }
    public DeviceFacts Facts { get; init; } = new(false, false, false);
    public DeviceVolumes Volumes { get; init; } = new(null, null, null);
    public string CurrentTarget { get; init; } = "";
    public DeviceState State { get; init; }
    public RelayMethod? Method { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public bool Override { get; init; }
    public string? Justification { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(RelayDeviceRegistered), typeof(RelayDeviceRepointed), typeof(RelayDeviceRetired)];

    /// <summary>Any order gives the same state (a view may see a late report first); the write side only folds existing streams.</summary>
    public static RelayDevice? Fold(RelayDevice? device, object e) => e switch
    {
        RelayDeviceRegistered r => (device ?? new RelayDevice()).Registered(r),
        RelayDeviceRepointed r => (device ?? new RelayDevice { DeviceId = r.DeviceId, TransitionId = r.TransitionId }).Repointed(r),
        RelayDeviceRetired r => (device ?? new RelayDevice { DeviceId = r.DeviceId, TransitionId = r.TransitionId }).Retired(r),
        _ => device,
    };

    private RelayDevice Registered(RelayDeviceRegistered e)
    {
        var (ledger, latest) = Ledger.Create(e.OccurredAt);
        var registered = this with
        {
            Ledger = ledger, DeviceId = e.DeviceId, TransitionId = e.TransitionId, Name = e.Name, Kind = e.Kind, IpAddress = e.IpAddress, Facts = e.Facts,
            Volumes = e.Volumes, RegisteredAt = e.OccurredAt,
        };
        return latest ? registered with { State = DeviceState.Registered, CurrentTarget = e.CurrentTarget } : registered;
    }

    private RelayDevice Repointed(RelayDeviceRepointed e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 1, RelayAdvisor.StaysOnPremises(e.Method, e.Host), $"{e.Method}|{e.Host}|{e.Port}|{e.Justification}");
        return latest
            ? this with
            {
                Ledger = ledger, State = DeviceState.Repointed, Method = e.Method, Host = e.Host, Port = e.Port, Override = e.Override,
                Justification = e.Justification, CurrentTarget = $"{e.Host}:{e.Port}", ChangedAt = e.OccurredAt,
            }
            : this with { Ledger = ledger };
    }

    private RelayDevice Retired(RelayDeviceRetired e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 2, dependency: false);
        return latest ? this with { Ledger = ledger, State = DeviceState.Retired, ChangedAt = e.OccurredAt } : this with { Ledger = ledger };
    }

    /// <summary>The relay advisor's recommendation for it on a day, under the tenant's policy then.</summary>
    public RelayAdvice Advice(RelayDay day) => RelayAdvisor.Advise(Facts, Volumes, day);

    public IReadOnlyList<DependencyItem> Remaining() => !IsDependency ? [] :
    [
        State == DeviceState.Registered
            ? new(Categories.Devices, Name, $"sends mail through {CurrentTarget}",
                "re-point it as its recommendation says, or retire it", KeepsExchange: true)
            : new(Categories.Devices, Name, $"re-pointed to {CurrentTarget} ({Kebab.Name(Method!.Value)}), which stays on-premises",
                "re-point it to Office 365 (a connector relay needs a static IP or certificate) or retire it", KeepsExchange: true),
    ];

    public static string Key(string transitionId, string deviceId) => $"{TransitionStreams.Prefix(transitionId)}device/{deviceId}";
}

/// <summary>A device as the API shows it: its state (without its stream key) and the advisor's recommendation on the day asked about.</summary>
/// <param name="Device">The device.</param>
/// <param name="Recommendation">The relay advisor's recommendation on the day.</param>
/// <param name="CurrentMethodEnds">When the method it was re-pointed to stops working for it, when that is known.</param>
public record DeviceView(DeviceAnswer Device, RelayAdvice Recommendation, DateOnly? CurrentMethodEnds)
{
    public static DeviceView Of(RelayDevice device, RelayDay day) =>
        new(DeviceAnswer.Of(device), device.Advice(day), device.Method is { } method ? RelayRules.StopsWorking(device.Facts, method, day.Policy) : null);
}

/// <summary>A device as the API shows it: `id` is the id its URL uses (the same as `deviceId`), never a stream key.</summary>
public record DeviceAnswer(string Id, int Version, string DeviceId, string TransitionId, string Name, DeviceKind Kind, string? IpAddress, DeviceFacts Facts,
    DeviceVolumes Volumes, string CurrentTarget, DeviceState State, RelayMethod? Method, string? Host, int? Port, bool Override,
    string? Justification, DateTimeOffset RegisteredAt, DateTimeOffset? ChangedAt)
{
    public static DeviceAnswer Of(RelayDevice d) => new(d.DeviceId, d.Version, d.DeviceId, d.TransitionId, d.Name, d.Kind, d.IpAddress, d.Facts, d.Volumes,
        d.CurrentTarget, d.State, d.Method, d.Host, d.Port, d.Override, d.Justification, d.RegisteredAt, d.ChangedAt);
}

public static class RelayDeviceDocuments
{
    public static void AddRelayDeviceDocuments(this StoreOptions opts) => opts.AddItemState<RelayDevice>(RelayDevice.Fold, RelayDevice.Events, d => d.TransitionId);
}
