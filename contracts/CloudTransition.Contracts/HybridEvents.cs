namespace CloudTransition.Contracts;

/// <summary>An Exchange server the Hybrid Configuration Wizard made a hybrid endpoint.</summary>
public record HybridEndpoint(string Server, EndpointRole Role);

/// <summary>The Hybrid Configuration Wizard ran; each endpoint it added needs a reboot or iisreset afterwards.</summary>
public record HybridConfigured(string TransitionId, string ConfigurationId, string ExchangeVersion,
    IReadOnlyList<HybridEndpoint> Endpoints, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>A hybrid endpoint was rebooted or got an iisreset.</summary>
public record HybridEndpointRestarted(string TransitionId, string Server, RestartMethod Method, DateTimeOffset OccurredAt) : ITransitionEvent;

/// <summary>An Autodiscover or free/busy verification was run.</summary>
public record HybridCheckRecorded(string TransitionId, HybridCheck Check, string? Direction, bool Passed, string? Detail,
    DateTimeOffset OccurredAt) : ITransitionEvent;
