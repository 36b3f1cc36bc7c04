using CloudTransition.Api.Common;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views.Dependencies;

/// <summary>One thing still tying the organisation to its own servers, why, and what would clear it.</summary>
public record DependencyItem(string Category, string Name, string Reason, string UnblockedBy);

public record DependencyCounts(int Mailboxes, int Devices, int HybridEndpoints, int Directory, int Components, int Blockers);

/// <summary>What is still on-premises and why; whether Exchange can go, and if not, why not.</summary>
public record DependencyView(string TransitionId, DateTimeOffset? AsOf, int Total, DependencyCounts ByCategory,
    IReadOnlyList<DependencyItem> Items, bool ExchangeCanBeDecommissioned, IReadOnlyList<string> Why);

public static class DependencyRules
{
    public const string Mailboxes = "mailboxes", Devices = "devices", HybridEndpoints = "hybridEndpoints",
        Directory = "directory", Components = "components", Blockers = "blockers";

    /// <summary>The view of a transition and its mailboxes still on-premises (<see cref="ViewReader.RemainingMailboxes"/>).</summary>
    public static DependencyView Of(TransitionView view, IEnumerable<RemainingMailbox> remainingMailboxes, DateTimeOffset? asOf)
    {
        var items = Items(view, remainingMailboxes).ToList();
        int Count(string category) => items.Count(i => i.Category == category);
        var counts = new DependencyCounts(Count(Mailboxes), Count(Devices), Count(HybridEndpoints), Count(Directory), Count(Components), Count(Blockers));
        var why = WhyExchangeStays(view, counts).ToList();
        return new DependencyView(view.Id, asOf, items.Count, counts, items, why.Count == 0, why);
    }

    private static IEnumerable<DependencyItem> Items(TransitionView view, IEnumerable<RemainingMailbox> remainingMailboxes)
    {
        foreach (var m in remainingMailboxes.OrderBy(m => m.Address))
            yield return new(Mailboxes, m.Address, m.Status == MoveStatus.Failed ? $"move failed: {m.Error}" : $"still on-premises (move {Kebab.Name(m.Status)})",
                m.Status == MoveStatus.Failed ? "fix the cause and queue the move again" : "complete its move to Exchange Online");
        foreach (var d in view.Devices.Values.Where(d => d.IsDependency).OrderBy(d => d.Name))
            yield return d.State == DeviceState.Registered
                ? new(Devices, d.Name, $"sends mail through {d.Target}", $"re-point it ({Kebab.Name(RelayAdvisor.Advise(d.Facts, d.Volumes).Method)} recommended) or retire it")
                : new(Devices, d.Name, $"re-pointed to {d.Target} ({Kebab.Name(d.Method!.Value)}), which stays on-premises",
                    "re-point it to Office 365 (a connector relay needs a static IP or certificate) or retire it");
        foreach (var (server, _) in view.Endpoints.Where(e => e.Value.IsDependency).OrderBy(e => e.Key))
            yield return new(HybridEndpoints, server, "not restarted since the Hybrid Configuration Wizard ran: Autodiscover and free/busy fail",
                "reboot it or run iisreset, then record the restart");
        if (view.Directory.IsDependency)
        {
            yield return new(Directory, "On-premises Active Directory", "directory sync is on: users, passwords and groups are managed in AD",
                "switch directory sync off (cloud-only identities), or keep AD as a retained component");
            yield return new(Directory, view.Directory.Server ?? "sync server", $"runs {Kebab.Name(view.Directory.Tool ?? SyncTool.Dirsync)}",
                "switch directory sync off");
        }
        foreach (var c in view.Components.Values.Where(c => c.IsDependency).OrderBy(c => c.Name))
            yield return new(Components, c.Name, $"{Kebab.Name(c.Role)} ({(c.Physical ? "physical" : "virtual")}) still running",
                "decommission it, or retain it with a reason");
        foreach (var b in view.Blockers.Values.Where(b => b.IsDependency).OrderBy(b => b.Name))
            yield return new(Blockers, b.Name, b.Detail, b.Kind == BlockerKind.LobOnExchange
                ? "replace it or re-integrate it with Office 365: it cannot run without an Exchange server" : "resolve it");
    }

    private static IEnumerable<string> WhyExchangeStays(TransitionView view, DependencyCounts counts)
    {
        if (counts.Mailboxes > 0) yield return $"{counts.Mailboxes} mailbox(es) not yet moved to Exchange Online";
        if (counts.Devices > 0) yield return $"{counts.Devices} device(s) still send mail through on-premises servers";
        if (counts.HybridEndpoints > 0) yield return $"{counts.HybridEndpoints} hybrid endpoint(s) pending a restart after the Hybrid Configuration Wizard";
        var lob = view.Blockers.Values.Count(b => b.IsDependency && b.Kind == BlockerKind.LobOnExchange);
        if (lob > 0) yield return $"{lob} application(s) must run on an Exchange server";
    }
}
