using CloudTransition.Api.Common;

namespace CloudTransition.Api.Views.Dependencies;

public record DependencyCounts(int Mailboxes, int Devices, int HybridEndpoints, int Directory, int Components, int Blockers, int UnknownSenders);

/// <summary>What is still on-premises and why; whether Exchange can go, and if not, why not.</summary>
public record DependencyView(string TransitionId, DateTimeOffset? AsOf, int Total, DependencyCounts ByCategory,
    IReadOnlyList<DependencyItem> Items, bool ExchangeCanBeDecommissioned, IReadOnlyList<string> Why);

public static class DependencyRules
{
    /// <summary>The view of a transition and what its mailboxes still on-premises keep there (<see cref="ViewReader.RemainingMailboxes"/>).</summary>
    public static DependencyView Of(TransitionView view, IEnumerable<DependencyItem> remainingMailboxes, DateTimeOffset? asOf)
    {
        var items = remainingMailboxes.OrderBy(m => m.Name, StringComparer.Ordinal)
            .Concat(view.Items.SelectMany(i => i.Remaining()).OrderBy(i => Order(i.Category))
                // Directory sync's two items keep their order (AD, then the sync server); the rest go by name.
                .ThenBy(i => i.Category == Categories.Directory ? "" : i.Name, StringComparer.Ordinal))
            .ToList();
        int Count(string category) => items.Count(i => i.Category == category);
        var counts = new DependencyCounts(Count(Categories.Mailboxes), Count(Categories.Devices), Count(Categories.HybridEndpoints),
            Count(Categories.Directory), Count(Categories.Components), Count(Categories.Blockers), Count(Categories.UnknownSenders));
        var why = ExchangeRule.WhyItStays(items);
        return new DependencyView(view.Id, asOf, items.Count, counts, items, why.Count == 0, why);
    }

    /// <summary>The list's order of categories after the mailboxes.</summary>
    private static int Order(string category) => category switch
    {
        Categories.Devices => 1, Categories.UnknownSenders => 2, Categories.HybridEndpoints => 3, Categories.Directory => 4, Categories.Components => 5, _ => 6,
    };
}
