using System.Text.Json;
using System.Text.Json.Serialization;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views;

/// <summary>When an item started or stopped tying the organisation to its own servers.</summary>
[JsonConverter(typeof(FlipJson))]
public record Flip(DateTimeOffset At, int Rank, bool Dependency);

/// <summary>Flips are most of a large transition's view document: stored as [unix ms, rank, 0|1], not as objects.</summary>
public class FlipJson : JsonConverter<Flip>
{
    public override Flip Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A flip is [unix ms, rank, dependency].");
        reader.Read(); var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());
        reader.Read(); var rank = reader.GetInt32();
        reader.Read(); var dependency = reader.GetInt32() == 1;
        reader.Read();
        return new Flip(at, rank, dependency);
    }

    public override void Write(Utf8JsonWriter writer, Flip flip, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(flip.At.ToUnixTimeMilliseconds());
        writer.WriteNumberValue(flip.Rank);
        writer.WriteNumberValue(flip.Dependency ? 1 : 0);
        writer.WriteEndArray();
    }
}

/// <summary>
/// An item's state, last-writer-wins by occurredAt (ties by a rank that follows the item's lifecycle), plus its
/// dependency flips kept sorted by occurredAt: so the fold gives the same result whatever order events arrive in.
/// </summary>
public abstract class LedgerItem
{
    public DateTimeOffset StateAt { get; set; } = DateTimeOffset.MinValue;
    public int StateRank { get; set; } = -1;
    public List<Flip> Flips { get; set; } = [];

    public bool IsDependency => Flips.Count > 0 && Flips[^1].Dependency;

    public bool DependencyAt(DateTimeOffset at) => Flips.LastOrDefault(f => f.At <= at)?.Dependency ?? false;

    /// <summary>Where, in event time, the item starts (+1) and stops (−1) tying the organisation to its servers.</summary>
    public IEnumerable<(DateTimeOffset At, int Delta)> DependencyChanges()
    {
        var before = false;
        foreach (var flip in Flips)
        {
            if (flip.Dependency == before) continue;
            yield return (flip.At, flip.Dependency ? 1 : -1);
            before = flip.Dependency;
        }
    }

    /// <summary>Records a flip and answers whether the event is the item's latest state.</summary>
    protected bool Happened(DateTimeOffset at, int rank, bool dependency)
    {
        var index = Flips.FindLastIndex(f => f.At < at || (f.At == at && f.Rank <= rank)) + 1;
        Flips.Insert(index, new Flip(at, rank, dependency));
        if (at < StateAt || (at == StateAt && rank < StateRank)) return false;
        (StateAt, StateRank) = (at, rank);
        return true;
    }
}

/// <summary>
/// One mailbox as the views see it: a document of its own (keyed by the mailbox's stream), because a large
/// transition has tens of thousands; the transition's view keeps only their tally.
/// </summary>
public class MailboxItem : LedgerItem
{
    public string Id { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string Address { get; set; } = "";
    public MailboxKind Kind { get; set; }
    public decimal? SizeGb { get; set; }
    public MoveStatus Status { get; set; }
    public string? Error { get; set; }

    public void Inventoried(MailboxInventoried e)
    {
        (Kind, SizeGb) = (e.Kind, e.SizeGb);
        if (Happened(e.OccurredAt, 0, true)) Status = MoveStatus.NotStarted;
    }

    public void Moved(MailboxMoveStatusChanged e)
    {
        if (Happened(e.OccurredAt, 1 + (int)e.Status, e.Status != MoveStatus.Completed)) (Status, Error) = (e.Status, e.Error);
    }
}

public class DeviceItem : LedgerItem
{
    public string Name { get; set; } = "";
    public DeviceFacts Facts { get; set; } = new(false, false, false);
    public DeviceVolumes Volumes { get; set; } = new(null, null, null);
    public string Target { get; set; } = "";
    public DeviceState State { get; set; }
    public RelayMethod? Method { get; set; }

    public void Registered(RelayDeviceRegistered e)
    {
        (Name, Facts, Volumes) = (e.Name, e.Facts, e.Volumes);
        if (Happened(e.OccurredAt, 0, true)) (State, Target) = (DeviceState.Registered, e.CurrentTarget);
    }

    public void Repointed(RelayDeviceRepointed e)
    {
        if (Happened(e.OccurredAt, 1, RelayAdvisor.StaysOnPremises(e.Method, e.Host)))
            (State, Method, Target) = (DeviceState.Repointed, e.Method, $"{e.Host}:{e.Port}");
    }

    public void Retired(RelayDeviceRetired e)
    {
        if (Happened(e.OccurredAt, 2, false)) State = DeviceState.Retired;
    }
}

public class EndpointItem : LedgerItem
{
    public EndpointRole Role { get; set; }
    public DateTimeOffset ConfiguredAt { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset? RestartedAt { get; set; }

    public bool PendingRestart => RestartedAt is null || RestartedAt < ConfiguredAt;

    public void Configured(EndpointRole role, DateTimeOffset at)
    {
        Happened(at, 0, true);
        if (at >= ConfiguredAt) (ConfiguredAt, Role) = (at, role);
    }

    public void Restarted(DateTimeOffset at)
    {
        Happened(at, 1, false);
        if (RestartedAt is null || at > RestartedAt) RestartedAt = at;
    }
}

public class DirectoryItem : LedgerItem
{
    public bool Enabled { get; set; }
    public SyncTool? Tool { get; set; }
    public string? Server { get; set; }
    public DateTimeOffset? EnabledAt { get; set; }

    public void SwitchedOn(DirectorySyncEnabled e)
    {
        if (Happened(e.OccurredAt, 1, true)) (Enabled, Tool, Server, EnabledAt) = (true, e.Tool, e.Server, e.OccurredAt);
    }

    public void SwitchedOff(DirectorySyncDisabled e)
    {
        if (Happened(e.OccurredAt, 0, false)) Enabled = false;
    }
}

public class ComponentItem : LedgerItem
{
    public string Name { get; set; } = "";
    public ComponentRole Role { get; set; }
    public bool Physical { get; set; }
    public decimal? StorageTb { get; set; }
    public Infrastructure.ComponentState State { get; set; }
    public string? RetainedBecause { get; set; }

    public bool Active => State != Infrastructure.ComponentState.Decommissioned;

    public void Inventoried(ComponentInventoried e)
    {
        (Name, Role, Physical, StorageTb) = (e.Name, e.Role, e.Physical, e.StorageTb);
        if (Happened(e.OccurredAt, 0, true)) State = Infrastructure.ComponentState.Active;
    }

    public void Decommissioned(ComponentDecommissioned e)
    {
        if (Happened(e.OccurredAt, 2, false)) (State, RetainedBecause) = (Infrastructure.ComponentState.Decommissioned, null);
    }

    public void Retained(ComponentRetained e)
    {
        if (Happened(e.OccurredAt, 1, false)) (State, RetainedBecause) = (Infrastructure.ComponentState.Retained, e.Reason);
    }
}

public class BlockerItem : LedgerItem
{
    public string Name { get; set; } = "";
    public BlockerKind Kind { get; set; }
    public string Detail { get; set; } = "";
    public bool Resolved { get; set; }

    public void Raised(BlockerRaised e)
    {
        (Name, Kind, Detail) = (e.Name, e.Kind, e.Detail);
        if (Happened(e.OccurredAt, 0, true)) Resolved = false;
    }

    public void Resolve(BlockerResolved e)
    {
        if (Happened(e.OccurredAt, 1, false)) Resolved = true;
    }
}

public class CaseItem
{
    public string Title { get; set; } = "";
    public SupportChannel Channel { get; set; }
    public CaseSeverity Severity { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public int Escalations { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    public bool OpenAt(DateTimeOffset at) => OpenedAt <= at && (ResolvedAt is null || ResolvedAt > at);
}
