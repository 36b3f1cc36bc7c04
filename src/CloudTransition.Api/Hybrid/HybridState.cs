using System.Collections.Immutable;
using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Hybrid;

/// <summary>A hybrid endpoint: pending a restart while it has not been restarted since the last wizard run that added it (by occurredAt).</summary>
public sealed record HybridEndpointState : IDependency
{
    /// <summary>As first entered; matched case-insensitively.</summary>
    public string Server { get; init; } = "";
    public EndpointRole Role { get; init; }
    public DateTimeOffset ConfiguredAt { get; init; } = DateTimeOffset.MinValue;
    public DateTimeOffset? RestartedAt { get; init; }
    public RestartMethod? RestartMethod { get; init; }
    public Ledger Ledger { get; init; } = Ledger.Empty;

    public bool PendingRestart => Ledger.IsDependency;

    public bool Is(string server) => string.Equals(Server, server, StringComparison.OrdinalIgnoreCase);

    public HybridEndpointState Configured(EndpointRole role, DateTimeOffset at)
    {
        var ledger = Ledger.Record(at, 0, dependency: true, role.ToString()).Ledger;
        var later = at > ConfiguredAt || (at == ConfiguredAt && role >= Role);   // two runs at once: the same role whatever their order
        return later ? this with { Ledger = ledger, ConfiguredAt = at, Role = role } : this with { Ledger = ledger };
    }

    public HybridEndpointState Restarted(RestartMethod method, DateTimeOffset at)
    {
        var ledger = Ledger.Record(at, 1, dependency: false, method.ToString()).Ledger;
        var later = RestartedAt is null || at > RestartedAt || (at == RestartedAt && method >= RestartMethod);
        return later ? this with { Ledger = ledger, RestartedAt = at, RestartMethod = method } : this with { Ledger = ledger };
    }

    public IReadOnlyList<DependencyItem> Remaining() => !PendingRestart ? [] :
        [new(Categories.HybridEndpoints, Server, "not restarted since the Hybrid Configuration Wizard ran: Autodiscover and free/busy fail",
            "reboot it or run iisreset, then record the restart", KeepsExchange: true)];
}

public record CheckResult(HybridCheck Check, string? Direction, bool Passed, string? Detail, DateTimeOffset At);

/// <summary>The hybrid configuration of a transition: one stream, its endpoints and the checks run.</summary>
public sealed record HybridState : ItemState, IDependency
{
    public string? ExchangeVersion { get; init; }
    public int WizardRuns { get; init; }
    public ImmutableList<HybridEndpointState> Endpoints { get; init; } = [];
    public ImmutableList<CheckResult> Checks { get; init; } = [];

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(HybridConfigured), typeof(HybridEndpointRestarted), typeof(HybridCheckRecorded)];

    public static HybridState? Fold(HybridState? state, object e) => e switch
    {
        HybridConfigured c => (state ?? Empty(c.TransitionId)).Configured(c),
        HybridEndpointRestarted r => (state ?? Empty(r.TransitionId)).Restarted(r),
        HybridCheckRecorded c => (state ?? Empty(c.TransitionId)).Checked(c),
        _ => state,
    };

    private HybridState Configured(HybridConfigured e)
    {
        var endpoints = Endpoints;
        foreach (var added in e.Endpoints)
        {
            var known = endpoints.FirstOrDefault(x => x.Is(added.Server));
            var configured = (known ?? new HybridEndpointState { Server = added.Server }).Configured(added.Role, e.OccurredAt);
            endpoints = known is null ? endpoints.Add(configured) : endpoints.Replace(known, configured);
        }
        return this with { WizardRuns = WizardRuns + 1, ExchangeVersion = e.ExchangeVersion, Endpoints = endpoints };
    }

    /// <summary>A restart reported before the wizard run that added the endpoint still counts (the write side refuses unknown endpoints).</summary>
    private HybridState Restarted(HybridEndpointRestarted e)
    {
        var known = Endpoint(e.Server);
        var restarted = (known ?? new HybridEndpointState { Server = e.Server }).Restarted(e.Method, e.OccurredAt);
        return this with { Endpoints = known is null ? Endpoints.Add(restarted) : Endpoints.Replace(known, restarted) };
    }

    private HybridState Checked(HybridCheckRecorded c) => this with { Checks = Checks.Add(new CheckResult(c.Check, c.Direction, c.Passed, c.Detail, c.OccurredAt)) };

    public HybridEndpointState? Endpoint(string server) => Endpoints.FirstOrDefault(x => x.Is(server));

    public IReadOnlyList<DependencyItem> Remaining() => Endpoints.SelectMany(e => e.Remaining()).ToList();

    public static HybridState Empty(string transitionId) => new() { Id = Key(transitionId), TransitionId = transitionId };

    public static string Key(string transitionId) => $"{TransitionStreams.Prefix(transitionId)}hybrid";
}

/// <summary>A hybrid endpoint as the API shows it.</summary>
public record EndpointAnswer(string Server, EndpointRole Role, DateTimeOffset ConfiguredAt, DateTimeOffset? RestartedAt, RestartMethod? RestartMethod, bool PendingRestart);

/// <summary>The hybrid configuration as the API shows it.</summary>
public record HybridAnswer(string TransitionId, string? ExchangeVersion, int WizardRuns, IReadOnlyList<EndpointAnswer> Endpoints, IReadOnlyList<CheckResult> Checks, int Version)
{
    public static HybridAnswer Of(HybridState s) => new(s.TransitionId, s.ExchangeVersion, s.WizardRuns,
        s.Endpoints.Select(e => new EndpointAnswer(e.Server, e.Role, e.ConfiguredAt, e.RestartedAt, e.RestartMethod, e.PendingRestart)).ToList(), s.Checks, s.Version);
}

public static class HybridDocuments
{
    public static void AddHybridDocuments(this StoreOptions opts) => opts.AddItemState<HybridState>(HybridState.Fold, HybridState.Events);
}
