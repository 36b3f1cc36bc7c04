using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.DirectorySync;

/// <summary>Whether directory synchronisation is on; while it is, on-prem AD and the sync server stay.</summary>
public class DirectorySyncState : ItemSnapshot<DirectorySyncState>
{
    public string TransitionId { get; set; } = "";
    public bool Enabled { get; set; }
    public SyncTool? Tool { get; set; }
    public string? Server { get; set; }
    public DateTimeOffset? EnabledAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    public static DirectorySyncState Create(DirectorySyncEnabled e)
    {
        var state = new DirectorySyncState { TransitionId = e.TransitionId };
        state.Apply(e);
        return state;
    }

    public void Apply(DirectorySyncEnabled e) => (Enabled, Tool, Server, EnabledAt) = (true, e.Tool, e.Server, e.OccurredAt);
    public void Apply(DirectorySyncDisabled e) => (Enabled, DisabledAt) = (false, e.OccurredAt);

    public static string Key(string transitionId) => $"{TransitionStreams.Prefix(transitionId)}directory-sync";
    public static DirectorySyncState Off(string transitionId) => new() { Id = Key(transitionId), TransitionId = transitionId };
}

public static class DirectorySyncDocuments
{
    public static void AddDirectorySyncDocuments(this StoreOptions opts) =>
        opts.Projections.Snapshot<DirectorySyncState>(SnapshotLifecycle.Inline);
}
