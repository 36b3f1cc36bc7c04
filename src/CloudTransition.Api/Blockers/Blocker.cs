using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Blockers;

/// <summary>Something that cannot move to Office 365 as it is, until resolved.</summary>
public sealed record Blocker : ItemState, IDependency
{
    public string BlockerId { get; init; } = "";
    public string Name { get; init; } = "";
    public BlockerKind Kind { get; init; }
    public string Detail { get; init; } = "";
    public DateTimeOffset RaisedAt { get; init; }
    public string? Resolution { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }

    public bool Open => IsDependency;

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(BlockerRaised), typeof(BlockerResolved)];

    /// <summary>Any order gives the same state (a view may see a late report first); the write side only folds existing streams.</summary>
    public static Blocker? Fold(Blocker? blocker, object e) => e switch
    {
        BlockerRaised r => (blocker ?? new Blocker()).Raised(r),
        BlockerResolved r => (blocker ?? new Blocker { BlockerId = r.BlockerId, TransitionId = r.TransitionId }).Resolved(r),
        _ => blocker,
    };

    private Blocker Raised(BlockerRaised e)
    {
        var (ledger, latest) = Ledger.Create(e.OccurredAt);
        var raised = this with
        {
            Ledger = ledger, BlockerId = e.BlockerId, TransitionId = e.TransitionId, Name = e.Name, Kind = e.Kind, Detail = e.Detail, RaisedAt = e.OccurredAt,
        };
        return latest ? raised with { Resolution = null, ResolvedAt = null } : raised;
    }

    private Blocker Resolved(BlockerResolved e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 1, dependency: false, e.Resolution);
        return latest ? this with { Ledger = ledger, Resolution = e.Resolution, ResolvedAt = e.OccurredAt } : this with { Ledger = ledger };
    }

    public IReadOnlyList<DependencyItem> Remaining() => !IsDependency ? [] :
    [
        Kind == BlockerKind.LobOnExchange
            ? new(Categories.Blockers, Name, Detail, "replace it or re-integrate it with Office 365: it cannot run without an Exchange server", KeepsExchange: true)
            : new(Categories.Blockers, Name, Detail, "resolve it", KeepsExchange: false),
    ];

    public static string Key(string transitionId, string blockerId) => $"{TransitionStreams.Prefix(transitionId)}blocker/{blockerId}";
}

/// <summary>A blocker as the API shows it: `id` is the id its URL uses (the same as `blockerId`), never a stream key.</summary>
public record BlockerAnswer(string Id, int Version, string BlockerId, string TransitionId, string Name, BlockerKind Kind, string Detail,
    DateTimeOffset RaisedAt, string? Resolution, DateTimeOffset? ResolvedAt, bool Open)
{
    public static BlockerAnswer Of(Blocker b) => new(b.BlockerId, b.Version, b.BlockerId, b.TransitionId, b.Name, b.Kind, b.Detail, b.RaisedAt,
        b.Resolution, b.ResolvedAt, b.Open);
}

public static class BlockerDocuments
{
    public static void AddBlockerDocuments(this StoreOptions opts) => opts.AddItemState<Blocker>(Blocker.Fold, Blocker.Events, b => b.TransitionId);
}
