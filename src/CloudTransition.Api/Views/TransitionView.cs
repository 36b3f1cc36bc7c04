using System.Text.Json.Serialization;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views;

/// <summary>
/// Everything the views need about one transition, folded from all its events (every item stream), keyed by the
/// transition id. Each view (dependencies, role impacts, dashboard, portfolio row) is a pure function of it, plus,
/// for the dependency list, the mailboxes still on-premises. Mailboxes are kept apart (<see cref="MailboxItem"/>
/// documents) and only tallied here, so that the document stays small however large the organisation.
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
    public Dictionary<string, DeviceItem> Devices { get; set; } = [];
    public Dictionary<string, EndpointItem> Endpoints { get; set; } = [];
    public DirectoryItem Directory { get; set; } = new();
    public Dictionary<string, ComponentItem> Components { get; set; } = [];
    public Dictionary<string, BlockerItem> Blockers { get; set; } = [];
    public Dictionary<string, CaseItem> Cases { get; set; } = [];

    /// <summary>The mailboxes, when the view was folded in memory (as of an instant) rather than read from the store.</summary>
    [JsonIgnore] public Dictionary<string, MailboxItem>? FoldedMailboxes { get; private set; }

    /// <summary>Applies one event; <paramref name="mailbox"/> finds (or starts) the mailbox an event is about, by its stream key.</summary>
    public void Record(ITransitionEvent e, Func<string, MailboxItem> mailbox)
    {
        Events++;
        if (FirstEventAt is null || e.OccurredAt < FirstEventAt) FirstEventAt = e.OccurredAt;
        if (LastEventAt is null || e.OccurredAt > LastEventAt) LastEventAt = e.OccurredAt;
        switch (e)
        {
            case TransitionStarted s: (Organisation, PlannedCompletion) = (s.Organisation, s.PlannedCompletion); break;
            case TransitionPhaseChanged p when p.OccurredAt >= PhaseAt: (Phase, PhaseAt) = (p.To, p.OccurredAt); break;
            case MailboxInventoried m: Mailboxes.Apply(Mailbox(mailbox, m.Address), x => x.Inventoried(m)); break;
            case MailboxMoveStatusChanged m: Mailboxes.Apply(Mailbox(mailbox, m.Address), x => x.Moved(m)); break;
            case DirectorySyncEnabled d: Directory.SwitchedOn(d); break;
            case DirectorySyncDisabled d: Directory.SwitchedOff(d); break;
            case HybridConfigured h: h.Endpoints.ToList().ForEach(x => Item(Endpoints, x.Server).Configured(x.Role, h.OccurredAt)); break;
            case HybridEndpointRestarted r: Item(Endpoints, r.Server).Restarted(r.OccurredAt); break;
            case RelayDeviceRegistered d: Item(Devices, d.DeviceId).Registered(d); break;
            case RelayDeviceRepointed d: Item(Devices, d.DeviceId).Repointed(d); break;
            case RelayDeviceRetired d: Item(Devices, d.DeviceId).Retired(d); break;
            case ComponentInventoried c: Item(Components, c.ComponentId).Inventoried(c); break;
            case ComponentDecommissioned c: Item(Components, c.ComponentId).Decommissioned(c); break;
            case ComponentRetained c: Item(Components, c.ComponentId).Retained(c); break;
            case BlockerRaised b: Item(Blockers, b.BlockerId).Raised(b); break;
            case BlockerResolved b: Item(Blockers, b.BlockerId).Resolve(b); break;
            case SupportCaseOpened c:
                var opened = Item(Cases, c.CaseId);
                (opened.Title, opened.Channel, opened.Severity, opened.OpenedAt) = (c.Title, c.Channel, c.Severity, c.OccurredAt);
                break;
            case SupportCaseResponded c:
                var responded = Item(Cases, c.CaseId);
                if (responded.FirstResponseAt is null || c.OccurredAt < responded.FirstResponseAt) responded.FirstResponseAt = c.OccurredAt;
                break;
            case SupportCaseEscalated c: Item(Cases, c.CaseId).Escalations++; break;
            case SupportCaseResolved c: Item(Cases, c.CaseId).ResolvedAt = c.OccurredAt; break;
        }
    }

    private MailboxItem Mailbox(Func<string, MailboxItem> find, string address)
    {
        var key = TransitionStreams.Mailbox(Id, address);
        var item = find(key);
        if (item.Id.Length == 0) (item.Id, item.TransitionId, item.Address) = (key, Id, address);
        return item;
    }

    private static T Item<T>(Dictionary<string, T> items, string key) where T : new()
    {
        if (!items.TryGetValue(key, out var item)) items[key] = item = new T();
        return item;
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

    public void Fold(ITransitionEvent e) => Record(e, key => Item(FoldedMailboxes!, key));
}
