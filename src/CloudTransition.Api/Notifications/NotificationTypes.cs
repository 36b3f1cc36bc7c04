using CloudTransition.Contracts;

namespace CloudTransition.Api.Notifications;

/// <summary>The name each recorded event is sent under: the webhook type automation posts it as, where there is one.</summary>
public static class NotificationTypes
{
    public const string Everything = "*", Ping = "ping";

    public static readonly IReadOnlyDictionary<Type, string> OfEvent = new Dictionary<Type, string>
    {
        [typeof(TransitionStarted)] = "transition.started",
        [typeof(TransitionPhaseChanged)] = "transition.phase-changed",
        [typeof(TransitionSettingsChanged)] = "transition.settings-changed",
        [typeof(MailboxInventoried)] = "mailbox.inventoried",
        [typeof(MailboxMoveStatusChanged)] = "mailbox.moved",
        [typeof(MailboxAssignedToWave)] = "mailbox.assigned-to-wave",
        [typeof(DirectorySyncEnabled)] = "directory-sync.enabled",
        [typeof(DirectorySyncDisabled)] = "directory-sync.disabled",
        [typeof(HybridConfigured)] = "hybrid.configured",
        [typeof(HybridEndpointRestarted)] = "hybrid.endpoint-restarted",
        [typeof(HybridCheckRecorded)] = "hybrid.checked",
        [typeof(RelayDeviceRegistered)] = "device.registered",
        [typeof(RelayDeviceRepointed)] = "device.repointed",
        [typeof(RelayDeviceRetired)] = "device.retired",
        [typeof(RelayLogsRead)] = "relay-logs.read",
        [typeof(RelaySenderSeen)] = "relay-sender.seen",
        [typeof(RelaySenderDismissed)] = "relay-sender.dismissed",
        [typeof(ComponentInventoried)] = "component.inventoried",
        [typeof(ComponentDecommissioned)] = "component.decommissioned",
        [typeof(ComponentRetained)] = "component.retained",
        [typeof(BlockerRaised)] = "blocker.raised",
        [typeof(BlockerResolved)] = "blocker.resolved",
        [typeof(SupportCaseOpened)] = "support-case.opened",
        [typeof(SupportCaseResponded)] = "support-case.responded",
        [typeof(SupportCaseEscalated)] = "support-case.escalated",
        [typeof(SupportCaseResolved)] = "support-case.resolved",
        [typeof(WavePlanned)] = "wave.planned",
        [typeof(WaveRescheduled)] = "wave.rescheduled",
        [typeof(BlackoutDeclared)] = "blackout.declared",
        [typeof(AlertCleared)] = "alert.cleared",
    };

    /// <summary>The alerts the views derive (<see cref="Alerts.AlertRules"/>), each sent under its kind.</summary>
    public static readonly IReadOnlyList<string> Alerts =
        ["wave.late", "move.stalled", "support-case.first-response-overdue", "endpoint.restart-overdue", "device-method-expiring", "exchange.decommission-ready"];

    /// <summary>Every name a subscription may ask for.</summary>
    public static readonly IReadOnlySet<string> Known = OfEvent.Values.Concat(Alerts).Append(Ping).ToHashSet();

    public static string? Of(object e) => e is AlertRaised alert ? alert.Kind : OfEvent.GetValueOrDefault(e.GetType());
}
