namespace CloudTransition.Contracts;

/// <summary>The three facts that decide how a device can send mail without on-prem Exchange.</summary>
/// <param name="CanChangePort">Can the device use a port other than 25?</param>
/// <param name="SupportsSmtpAuth">Can it authenticate (user name and password)?</param>
/// <param name="SendsExternal">Must it reach recipients outside the organisation's own domains?</param>
/// <param name="BasicAuthOnly">Does its SMTP AUTH only do basic authentication (being retired by Microsoft)?</param>
public record DeviceFacts(bool CanChangePort, bool SupportsSmtpAuth, bool SendsExternal, bool? BasicAuthOnly = null);

/// <summary>How much mail a device sends, compared with Exchange Online's limits.</summary>
public record DeviceVolumes(int? MessagesPerDay, int? PeakMessagesPerMinute, int? MaxRecipientsPerMessage, int? RecipientsPerDay = null);

/// <summary>A device or application sending through the on-premises relay was registered.</summary>
public record RelayDeviceRegistered(string TransitionId, string DeviceId, string Name, DeviceKind Kind, DeviceFacts Facts,
    string CurrentTarget, DeviceVolumes Volumes, DateTimeOffset OccurredAt) : ITransitionEvent
{
    /// <summary>The address it sends from, when known: a sender seen in Exchange's logs with it is this device.</summary>
    public string? IpAddress { get; init; }
}

/// <summary>A device was re-pointed; an override records who accepted a method the advisor refused, and why.</summary>
public record RelayDeviceRepointed(string TransitionId, string DeviceId, RelayMethod Method, string Host, int Port,
    bool Override, string? Justification, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A device no longer sends mail.</summary>
public record RelayDeviceRetired(string TransitionId, string DeviceId, DateTimeOffset OccurredAt) : ITransitionEvent;
