using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.Hybrid;

/// <summary>A hybrid endpoint: pending a restart while it has not been restarted since the last wizard run that added it.</summary>
public class EndpointState
{
    public string Server { get; set; } = "";
    public EndpointRole Role { get; set; }
    public DateTimeOffset ConfiguredAt { get; set; }
    public DateTimeOffset? RestartedAt { get; set; }
    public RestartMethod? RestartMethod { get; set; }
    public bool PendingRestart => RestartedAt is null || RestartedAt < ConfiguredAt;
}

public record CheckResult(HybridCheck Check, string? Direction, bool Passed, string? Detail, DateTimeOffset At);

/// <summary>The hybrid configuration of a transition. Instants are compared by occurredAt, so late reports land right.</summary>
public class HybridState
{
    public string Id { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string? ExchangeVersion { get; set; }
    public int WizardRuns { get; set; }
    public List<EndpointState> Endpoints { get; set; } = [];
    public List<CheckResult> Checks { get; set; } = [];
    public int Version { get; set; }

    public static HybridState Create(HybridConfigured e) => Started(e.TransitionId, s => s.Apply(e));
    public static HybridState Create(HybridCheckRecorded e) => Started(e.TransitionId, s => s.Apply(e));

    public void Apply(HybridConfigured e)
    {
        WizardRuns++;
        ExchangeVersion = e.ExchangeVersion;
        foreach (var endpoint in e.Endpoints)
        {
            var state = Endpoint(endpoint.Server);
            if (state is null) Endpoints.Add(state = new EndpointState { Server = endpoint.Server, ConfiguredAt = e.OccurredAt });
            state.Role = endpoint.Role;
            if (e.OccurredAt > state.ConfiguredAt) state.ConfiguredAt = e.OccurredAt;
        }
    }

    public void Apply(HybridEndpointRestarted e)
    {
        var state = Endpoint(e.Server);
        if (state is null || (state.RestartedAt is { } at && at >= e.OccurredAt)) return;
        (state.RestartedAt, state.RestartMethod) = (e.OccurredAt, e.Method);
    }

    public void Apply(HybridCheckRecorded e) => Checks.Add(new CheckResult(e.Check, e.Direction, e.Passed, e.Detail, e.OccurredAt));

    public EndpointState? Endpoint(string server) => Endpoints.FirstOrDefault(x => x.Server == server);

    public static string Key(string transitionId) => $"{TransitionStreams.Prefix(transitionId)}hybrid";

    private static HybridState Started(string transitionId, Action<HybridState> first)
    {
        var state = new HybridState { TransitionId = transitionId };
        first(state);
        return state;
    }
}

public static class HybridDocuments
{
    public static void AddHybridDocuments(this StoreOptions opts) => opts.Projections.Snapshot<HybridState>(SnapshotLifecycle.Inline);
}
