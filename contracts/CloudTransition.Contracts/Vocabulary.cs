using System.Text.Json.Serialization;

namespace CloudTransition.Contracts;

/// <summary>Every event of a transition carries the transition it belongs to and when it happened.</summary>
public interface ITransitionEvent
{
    /// <summary>The transition (one organisation's move to Office 365) the event belongs to.</summary>
    string TransitionId { get; }

    /// <summary>When it happened, as reported; the store keeps its own record time apart.</summary>
    DateTimeOffset OccurredAt { get; }
}

/// <summary>Phases of a transition, in the order they are meant to happen.</summary>
public enum TransitionPhase { Assessment, ProofOfConcept, Pilot, Migration, Decommission, Completed }

/// <summary>What kind of Exchange mailbox it is; drives storage estimates (55 GB per user, 5 GB per resource mailbox).</summary>
public enum MailboxKind { UserMailbox, ResourceMailbox, SharedMailbox }

/// <summary>Where a mailbox move stands: queued → syncing → synced → completed, any → failed, failed → queued.</summary>
public enum MoveStatus { NotStarted, Queued, Syncing, Synced, Completed, Failed }

/// <summary>Exchange Online's verdict on how much of a mailbox's content arrived (Get-MigrationUserStatistics).</summary>
public enum DataConsistencyScore { Perfect, Good, Investigate, Poor }

/// <summary>The directory synchronisation tool in use.</summary>
public enum SyncTool { Dirsync, AadConnect, EntraConnect }

/// <summary>Exchange server roles a Hybrid Configuration Wizard run can add as hybrid endpoints.</summary>
public enum EndpointRole { Cas, Hub, CasHub }

/// <summary>How a hybrid endpoint was restarted after the Hybrid Configuration Wizard.</summary>
public enum RestartMethod { Reboot, Iisreset }

/// <summary>A hybrid verification.</summary>
public enum HybridCheck { Autodiscover, FreeBusy }

/// <summary>What sends mail through the on-premises relay.</summary>
public enum DeviceKind { Printer, Scanner, Application, Other }

/// <summary>How a device or application sends mail.</summary>
public enum RelayMethod
{
    /// <summary>SMTP AUTH submission to smtp.office365.com on port 587 with TLS.</summary>
    [JsonStringEnumMemberName("authenticated-submission-587")] AuthenticatedSubmission587,
    /// <summary>SMTP AUTH submission on port 25 (Office 365 also listens there).</summary>
    [JsonStringEnumMemberName("authenticated-port-25")] AuthenticatedPort25,
    /// <summary>Unauthenticated delivery to the domain's MX on port 25: internal recipients only.</summary>
    DirectSend,
    /// <summary>An Office 365 inbound connector recognising a static IP or certificate.</summary>
    ConnectorRelay,
    /// <summary>An anonymous relay on the network (Postfix, IIS SMTP): stays on-premises.</summary>
    AnonymousRelay,
    /// <summary>Today's on-premises Exchange receive connector.</summary>
    OnPremisesExchange,
    /// <summary>Microsoft 365 High Volume Email: SMTP AUTH on 587 to smtp-hve.office365.com, internal recipients only; keeps basic authentication longer.</summary>
    HighVolumeEmail,
    /// <summary>Azure Communication Services Email (or a third-party relay): SMTP AUTH on 587 with an Entra application's credentials; any recipient.</summary>
    AzureCommunicationServices,
}

/// <summary>Roles of on-premises infrastructure that Office 365 replaces.</summary>
public enum ComponentRole
{
    ExchangeMailbox, ExchangeCas, ExchangeHub, Sharepoint, Lync, DomainController, DirsyncServer,
    LoadBalancer, San, SpamFilter, BackupServer, SmtpRelay, Firewall, Other,
}

/// <summary>What kind of blocker it is.</summary>
public enum BlockerKind { LobOnExchange, Other }

/// <summary>How a support case reaches the vendor.</summary>
public enum SupportChannel { Direct, Partner }

/// <summary>Vendor severity: a is the most urgent.</summary>
public enum CaseSeverity { A, B, C }

/// <summary>What an API key may do: viewer reads, contributor also records, automation also posts webhooks, admin also manages keys, tenants and webhook secrets.</summary>
public enum ApiRole { Viewer, Contributor, Automation, Admin }
