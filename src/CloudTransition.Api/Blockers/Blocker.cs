using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.Blockers;

/// <summary>Something that cannot move to Office 365 as it is, until resolved.</summary>
public class Blocker : ItemSnapshot<Blocker>
{
    public string BlockerId { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string Name { get; set; } = "";
    public BlockerKind Kind { get; set; }
    public string Detail { get; set; } = "";
    public DateTimeOffset RaisedAt { get; set; }
    public string? Resolution { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    public bool Open => ResolvedAt is null;

    public static Blocker Create(BlockerRaised e) => new()
    {
        BlockerId = e.BlockerId, TransitionId = e.TransitionId, Name = e.Name, Kind = e.Kind, Detail = e.Detail, RaisedAt = e.OccurredAt,
    };

    public void Apply(BlockerResolved e) => (Resolution, ResolvedAt) = (e.Resolution, e.OccurredAt);

    public static string Key(string transitionId, string blockerId) => $"{TransitionStreams.Prefix(transitionId)}blocker/{blockerId}";
}

public static class BlockerDocuments
{
    public static void AddBlockerDocuments(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Blocker>(SnapshotLifecycle.Inline);
        opts.Schema.For<Blocker>().Duplicate(b => b.TransitionId, configure: TransitionIndex.PerTenant);
    }
}
