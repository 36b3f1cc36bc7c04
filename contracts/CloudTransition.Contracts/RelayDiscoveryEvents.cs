namespace CloudTransition.Contracts;

/// <summary>Which of Exchange's logs a discovery read.</summary>
public enum LogKind { SmtpReceive, MessageTracking }

/// <summary>A line of a log that could not be read: its number in the body and why.</summary>
public record MalformedLine(long Line, string Problem);

/// <summary>Sessions and messages left out of the findings, and why: they are no device relaying.</summary>
/// <param name="ExchangeServerSessions">Sessions between Exchange servers (X-ANONYMOUSTLS).</param>
/// <param name="ExchangeOnlineSessions">Sessions from Exchange Online over the hybrid connector (EHLO *.protection.outlook.com).</param>
/// <param name="InboundMessages">Mail from the internet to the organisation: a public address, an outside sender, only the organisation's own recipients.</param>
/// <param name="SessionsWithoutMail">Sessions that sent no message (load balancer probes, monitoring, refused connections).</param>
public record Excluded(long ExchangeServerSessions, long ExchangeOnlineSessions, long InboundMessages, long SessionsWithoutMail);

/// <summary>One day of a sender's mail.</summary>
public record DayVolume(DateOnly Day, int Messages, int Recipients);

/// <summary>What one discovery's logs showed of one sender IP.</summary>
/// <param name="RemoteIp">The sender's IP address.</param>
/// <param name="Hostname">The name it gave in EHLO/HELO (or message tracking's client-hostname).</param>
/// <param name="LocalIp">The Exchange address it sent to.</param>
/// <param name="LocalPort">The Exchange port it sent to (protocol logs only).</param>
/// <param name="Connector">The receive connector.</param>
/// <param name="Authenticated">Whether every session that carried mail authenticated (protocol logs only).</param>
/// <param name="AuthMechanism">The AUTH mechanism of its latest authenticated session (LOGIN, PLAIN, NTLM, GSSAPI…).</param>
/// <param name="Tls">Whether every session that carried mail used TLS (protocol logs only).</param>
/// <param name="SendsExternal">Whether any recipient is outside the transition's domains.</param>
/// <param name="Days">Messages and recipients per day.</param>
/// <param name="PeakMessagesPerMinute">Messages in its busiest minute.</param>
/// <param name="MaxRecipientsPerMessage">The most recipients of one message.</param>
/// <param name="FirstSeen">Its first message in the logs.</param>
/// <param name="LastSeen">Its last message in the logs.</param>
public record SenderObservation(string RemoteIp, string? Hostname, string? LocalIp, int? LocalPort, string? Connector, bool? Authenticated,
    string? AuthMechanism, bool? Tls, bool SendsExternal, IReadOnlyList<DayVolume> Days, int PeakMessagesPerMinute, int MaxRecipientsPerMessage,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>What a body of Exchange logs held, beside its senders.</summary>
public record RelayLogSummary(IReadOnlyList<LogKind> Kinds, long Lines, long Malformed, IReadOnlyList<MalformedLine> FirstMalformed, long Sessions,
    long Messages, Excluded Excluded, IReadOnlyList<string> Senders);

/// <summary>Exchange's logs were read for devices relaying through it; occurredAt is when.</summary>
public record RelayLogsRead(string TransitionId, string DiscoveryId, string ContentHash, RelayLogSummary Summary, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A sender was seen relaying through Exchange in a discovery's logs; occurredAt is the last message it showed.</summary>
public record RelaySenderSeen(string TransitionId, string DiscoveryId, SenderObservation Observation, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A sender seen relaying is no device to register (a monitoring probe, a server being retired), and why.</summary>
public record RelaySenderDismissed(string TransitionId, string RemoteIp, string Reason, DateTimeOffset OccurredAt) : ITransitionEvent;
