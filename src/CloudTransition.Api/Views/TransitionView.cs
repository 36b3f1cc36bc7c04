using System.Text.Json.Serialization;
using CloudTransition.Api.Alerts;
using CloudTransition.Api.Blockers;
using CloudTransition.Api.Common;
using CloudTransition.Api.DirectorySync;
using CloudTransition.Api.Hybrid;
using CloudTransition.Api.Infrastructure;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.RelayDiscovery;
using CloudTransition.Api.SupportCases;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Waves;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views;

/// <summary>
/// Everything the views need about one transition, folded from all its events (every item stream) with each item's own
/// <c>Fold</c>, keyed by the transition id. Each view (dependencies, role impacts, dashboard, portfolio row) is a pure
/// function of it, plus, for the dependency list, the mailboxes still on-premises. Mailboxes are kept apart
/// (<see cref="MailboxEntry"/> documents) and only tallied here, so that the document stays small however large the organisation.
/// </summary>
public class TransitionView
{
    public string Id { get; set; } = "";
    public string Organisation { get; set; } = "";
    public DateOnly? PlannedCompletion { get; set; }
    public TransitionPhase Phase { get; set; }
    public DateTimeOffset PhaseAt { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset? FirstEventAt { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }
    public long Events { get; set; }
    public MailboxTally Mailboxes { get; set; } = new();
    public Dictionary<string, RelayDevice> Devices { get; set; } = [];
    public Dictionary<string, RelaySender> Senders { get; set; } = [];
    public HybridState Hybrid { get; set; } = new();
    public DirectorySyncState Directory { get; set; } = new();
    public Dictionary<string, Component> Components { get; set; } = [];
    public Dictionary<string, Blocker> Blockers { get; set; } = [];
    public Dictionary<string, SupportCase> Cases { get; set; } = [];
    public Dictionary<string, Wave> Waves { get; set; } = [];
    public Dictionary<string, Blackout> Blackouts { get; set; } = [];
    public TransitionSettings Settings { get; set; } = new();
    /// <summary>The alerts raised and not yet cleared, by <see cref="Alert.Key"/>.</summary>
    public Dictionary<string, OpenAlert> Alerts { get; set; } = [];

    [JsonIgnore] public TimeSpan StallAfter => Settings.StallAfter;

    /// <summary>What a read of the mailboxes as of <paramref name="at"/> needs to know beside them.</summary>
    public MoveReading Reading(DateTimeOffset at) => new(at, StallAfter, Waves.Values.ToDictionary(w => w.WaveId, w => w.Name));

    /// <summary>The mailboxes, when the view was folded in memory (as of an instant) rather than read from the store.</summary>
    [JsonIgnore] public Dictionary<string, Mailbox>? FoldedMailboxes { get; private set; }

    /// <summary>Every item but the mailboxes (those are tallied): what the dependency list, progress and burn-down go through.</summary>
    [JsonIgnore] public IEnumerable<IDependency> Items =>
        Devices.Values.Cast<IDependency>().Append(new UnknownSenders(this)).Append(Hybrid).Append(Directory).Concat(Components.Values).Concat(Blockers.Values);

    /// <summary>Each sender seen relaying, with the device that accounts for it (<see cref="SenderRules.Device"/>).</summary>
    [JsonIgnore] public IEnumerable<(RelaySender Sender, RelayDevice? Device)> SendersWithDevices =>
        Senders.Values.Select(s => (s, SenderRules.Device(s, Devices.Values)));

    private sealed class UnknownSenders(TransitionView view) : IDependency
    {
        public IReadOnlyList<DependencyItem> Remaining() => view.SendersWithDevices
            .Where(p => SenderRules.Status(p.Sender, p.Device) == SenderStatus.Unknown).Select(p => SenderRules.Dependency(p.Sender)).ToList();
    }

    /// <summary>Applies one event; <paramref name="mailboxes"/> reads and keeps a mailbox's state by its stream key.</summary>
    public void Record(ITransitionEvent e, IMailboxStates mailboxes)
    {
        Events++;
        if (FirstEventAt is null || e.OccurredAt < FirstEventAt) FirstEventAt = e.OccurredAt;
        if (LastEventAt is null || e.OccurredAt > LastEventAt) LastEventAt = e.OccurredAt;
        switch (e)
        {
            case TransitionStarted s: (Organisation, PlannedCompletion) = (s.Organisation, s.PlannedCompletion); break;
            case TransitionPhaseChanged p when p.OccurredAt >= PhaseAt: (Phase, PhaseAt) = (p.To, p.OccurredAt); break;
            case MailboxInventoried m: Moved(mailboxes, m.Address, m); break;
            case MailboxMoveStatusChanged m: Moved(mailboxes, m.Address, m); break;
            case MailboxAssignedToWave m: Moved(mailboxes, m.Address, m); break;
            case TransitionSettingsChanged s: Settings = Settings.Changed(s); break;
            case WavePlanned w: Evolve(Waves, w.WaveId, e, Wave.Fold); break;
            case WaveRescheduled w: Evolve(Waves, w.WaveId, e, Wave.Fold); break;
            case BlackoutDeclared b: Evolve(Blackouts, b.BlackoutId, e, Blackout.Fold); break;
            case DirectorySyncEnabled or DirectorySyncDisabled: Directory = DirectorySyncState.Fold(Directory, e)!; break;
            case HybridConfigured or HybridEndpointRestarted or HybridCheckRecorded: Hybrid = HybridState.Fold(Hybrid, e)!; break;
            case RelayDeviceRegistered d: Evolve(Devices, d.DeviceId, e, RelayDevice.Fold); break;
            case RelayDeviceRepointed d: Evolve(Devices, d.DeviceId, e, RelayDevice.Fold); break;
            case RelayDeviceRetired d: Evolve(Devices, d.DeviceId, e, RelayDevice.Fold); break;
            case RelaySenderSeen s: Evolve(Senders, s.Observation.RemoteIp, e, RelaySender.Fold); break;
            case RelaySenderDismissed s: Evolve(Senders, s.RemoteIp, e, RelaySender.Fold); break;
            case ComponentInventoried c: Evolve(Components, c.ComponentId, e, Component.Fold); break;
            case ComponentDecommissioned c: Evolve(Components, c.ComponentId, e, Component.Fold); break;
            case ComponentRetained c: Evolve(Components, c.ComponentId, e, Component.Fold); break;
            case BlockerRaised b: Evolve(Blockers, b.BlockerId, e, Blocker.Fold); break;
            case BlockerResolved b: Evolve(Blockers, b.BlockerId, e, Blocker.Fold); break;
            case SupportCaseOpened c: Evolve(Cases, c.CaseId, e, SupportCase.Fold); break;
            case SupportCaseResponded c: Evolve(Cases, c.CaseId, e, SupportCase.Fold); break;
            case SupportCaseEscalated c: Evolve(Cases, c.CaseId, e, SupportCase.Fold); break;
            case SupportCaseResolved c: Evolve(Cases, c.CaseId, e, SupportCase.Fold); break;
            case AlertRaised a: Alerts[Alert.Of(a.Kind, a.Subject)] = new OpenAlert(a.Kind, a.Subject, a.Detail, a.OccurredAt); break;
            case AlertCleared a: Alerts.Remove(Alert.Of(a.Kind, a.Subject)); break;
        }
    }

    private void Moved(IMailboxStates mailboxes, string address, ITransitionEvent e)
    {
        var key = TransitionStreams.Mailbox(Id, address);
        var before = mailboxes.Find(key);
        var after = Mailbox.Fold(before, e)!;
        Mailboxes.Replace(before, after);
        mailboxes.Keep(key, after);
    }

    private static void Evolve<T>(Dictionary<string, T> items, string key, object e, Func<T?, object, T?> evolve) where T : class
    {
        if (evolve(items.GetValueOrDefault(key), e) is { } next) items[key] = next;
    }

    /// <summary>Folds events into a view, as the projection does, for "as of" reads.</summary>
    public static TransitionView Fold(string id, IEnumerable<ITransitionEvent> events)
    {
        var view = Folding(id);
        foreach (var e in events) view.Fold(e);
        return view;
    }

    /// <summary>An empty view that keeps its mailboxes in memory, to fold events into one at a time.</summary>
    public static TransitionView Folding(string id) => new() { Id = id, FoldedMailboxes = [] };

    public void Fold(ITransitionEvent e) => Record(e, new InMemory(FoldedMailboxes!));

    /// <summary>Applies one more event to a view read from a checkpoint; <paramref name="mailboxes"/> holds the states of the mailboxes the events touch.</summary>
    public void Continue(ITransitionEvent e, Dictionary<string, Mailbox> mailboxes) => Record(e, new InMemory(mailboxes));

    /// <summary>The stream key of the mailbox an event is about, if it is about one.</summary>
    public static string? MailboxKey(ITransitionEvent e) => e switch
    {
        MailboxInventoried m => TransitionStreams.Mailbox(m.TransitionId, m.Address),
        MailboxMoveStatusChanged m => TransitionStreams.Mailbox(m.TransitionId, m.Address),
        MailboxAssignedToWave m => TransitionStreams.Mailbox(m.TransitionId, m.Address),
        _ => null,
    };

    private sealed class InMemory(Dictionary<string, Mailbox> mailboxes) : IMailboxStates
    {
        public Mailbox? Find(string key) => mailboxes.GetValueOrDefault(key);
        public void Keep(string key, Mailbox mailbox) => mailboxes[key] = mailbox;
    }
}

/// <summary>Where a view keeps its mailboxes' states: in memory for an as-of fold, as <see cref="MailboxEntry"/> documents for the projection.</summary>
public interface IMailboxStates
{
    Mailbox? Find(string key);
    void Keep(string key, Mailbox mailbox);
}

/// <summary>The view's copy of a mailbox's state, as of the events the view has applied (the inline snapshot may be ahead of it).</summary>
public class MailboxEntry
{
    public string Id { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public Mailbox Mailbox { get; set; } = new();
    public bool IsDependency => Mailbox.IsDependency;

    /// <summary>The index of remaining mailboxes by transition and address (<see cref="Checkpoints.ViewSchema"/>; Marten leaves it alone).</summary>
    public const string RemainingByAddress = "ct_mailbox_entries_remaining_by_address";
}
