using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.DirectorySync;

/// <summary>Whether directory synchronisation is on (its latest report by occurredAt); while it is, on-prem AD and the sync server stay.</summary>
public sealed record DirectorySyncState : ItemState, IDependency
{
    public bool Enabled { get; init; }
    public SyncTool? Tool { get; init; }
    public string? Server { get; init; }
    public DateTimeOffset? EnabledAt { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(DirectorySyncEnabled), typeof(DirectorySyncDisabled)];

    /// <summary>On, then off, is the lifecycle: at the same instant, off is the later report.</summary>
    public static DirectorySyncState? Fold(DirectorySyncState? state, object e) => e switch
    {
        DirectorySyncEnabled on => (state ?? new DirectorySyncState { TransitionId = on.TransitionId }).SwitchedOn(on),
        DirectorySyncDisabled off => (state ?? new DirectorySyncState { TransitionId = off.TransitionId }).SwitchedOff(off),
        _ => state,
    };

    private DirectorySyncState SwitchedOn(DirectorySyncEnabled e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 0, dependency: true, $"{e.Tool}|{e.Server}");
        return latest ? this with { Ledger = ledger, Enabled = true, Tool = e.Tool, Server = e.Server, EnabledAt = e.OccurredAt } : this with { Ledger = ledger };
    }

    private DirectorySyncState SwitchedOff(DirectorySyncDisabled e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 1, dependency: false);
        return latest ? this with { Ledger = ledger, Enabled = false, DisabledAt = e.OccurredAt } : this with { Ledger = ledger };
    }

    /// <summary>While sync is on, two things stay: Active Directory as the source of authority, and the server running the sync.</summary>
    public IReadOnlyList<DependencyItem> Remaining() => !IsDependency ? [] :
    [
        new(Categories.Directory, "On-premises Active Directory", "directory sync is on: users, passwords and groups are managed in AD",
            "switch directory sync off (cloud-only identities), or keep AD as a retained component", KeepsExchange: false),
        new(Categories.Directory, Server ?? "sync server", $"runs {Kebab.Name(Tool ?? SyncTool.Dirsync)}", "switch directory sync off", KeepsExchange: false),
    ];

    public static string Key(string transitionId) => $"{TransitionStreams.Prefix(transitionId)}directory-sync";
    public static DirectorySyncState Off(string transitionId) => new() { Id = Key(transitionId), TransitionId = transitionId };
}

/// <summary>Directory sync as the API shows it; `tool` is null while sync was never switched on.</summary>
public record DirectorySyncAnswer(int Version, string TransitionId, bool Enabled, SyncTool? Tool, string? Server, DateTimeOffset? EnabledAt, DateTimeOffset? DisabledAt)
{
    public static DirectorySyncAnswer Of(DirectorySyncState s) => new(s.Version, s.TransitionId, s.Enabled, s.Tool, s.Server, s.EnabledAt, s.DisabledAt);
}

public static class DirectorySyncDocuments
{
    public static void AddDirectorySyncDocuments(this StoreOptions opts) => opts.AddItemState<DirectorySyncState>(DirectorySyncState.Fold, DirectorySyncState.Events);
}
