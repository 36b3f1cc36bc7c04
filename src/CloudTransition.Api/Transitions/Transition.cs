using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.Transitions;

/// <summary>The transition itself: organisation, domains and phase. Kept inline so lists and existence checks are one query.</summary>
public class Transition
{
    public string Id { get; set; } = "";
    public string Organisation { get; set; } = "";
    public IReadOnlyList<string> Domains { get; set; } = [];
    public DateOnly? PlannedCompletion { get; set; }
    public TransitionPhase Phase { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public int Version { get; set; }
    public TransitionSettings Settings { get; set; } = new();

    public static Transition Create(TransitionStarted e) => new()
    {
        Id = e.TransitionId, Organisation = e.Organisation, Domains = e.Domains,
        PlannedCompletion = e.PlannedCompletion, Phase = TransitionPhase.Assessment, StartedAt = e.OccurredAt,
    };

    public void Apply(TransitionPhaseChanged e) => Phase = e.To;

    public void Apply(TransitionSettingsChanged e) => Settings = Settings.Changed(e);
}

public static class TransitionDocuments
{
    public static void AddTransitionDocuments(this StoreOptions opts) =>
        opts.Projections.Snapshot<Transition>(SnapshotLifecycle.Inline);
}
