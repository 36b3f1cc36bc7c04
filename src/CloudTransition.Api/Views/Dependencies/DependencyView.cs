using System.Text.Json.Serialization;
using CloudTransition.Api.Common;

namespace CloudTransition.Api.Views.Dependencies;

public record DependencyCounts(int Mailboxes, int Devices, int HybridEndpoints, int Directory, int Components, int Blockers, int UnknownSenders);

/// <summary>What is still on-premises and why; whether Exchange can go, and if not, why not.</summary>
/// <param name="TransitionId">The transition.</param>
/// <param name="AsOf">The instant the list was read as of, if any.</param>
/// <param name="Total">How many items remain in the whole list (not only this page).</param>
/// <param name="ByCategory">How many remain per category, in the whole list.</param>
/// <param name="Items">This page: by category (mailboxes, devices, unknown senders, hybrid endpoints, directory, components, blockers), then name.</param>
/// <param name="ExchangeCanBeDecommissioned">Whether nothing that keeps Exchange remains.</param>
/// <param name="Why">Why Exchange must stay, one sentence per category.</param>
/// <param name="Next">The cursor of the next page (pass it as `after`); absent on the last page.</param>
public record DependencyView(string TransitionId, DateTimeOffset? AsOf, int Total, DependencyCounts ByCategory,
    IReadOnlyList<DependencyItem> Items, bool ExchangeCanBeDecommissioned, IReadOnlyList<string> Why,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next = null);

/// <summary>The mailboxes still on-premises: how many, and the page of them after the cursor (by address).</summary>
public record RemainingMailboxes(int Count, IReadOnlyList<DependencyItem> Page);

/// <summary>An item's place in the list: its category's rank, its name (directory sync's two items keep their order), and which of equal names it is.</summary>
public record DependencyKey(int Category, string Name, int Duplicate)
{
    public int CompareTo(DependencyKey other) =>
        Category != other.Category ? Category.CompareTo(other.Category)
        : string.CompareOrdinal(Name, other.Name) is var byName and not 0 ? byName : Duplicate.CompareTo(other.Duplicate);

    public string[] Cursor => [Category.ToString(), Name, Duplicate.ToString()];

    public static DependencyKey? Of(string[] cursor) =>
        int.TryParse(cursor[0], out var category) && int.TryParse(cursor[2], out var duplicate) ? new(category, cursor[1], duplicate) : null;
}

public static class DependencyRules
{
    /// <summary>
    /// The view of a transition and its mailboxes still on-premises (<see cref="ViewReader.RemainingMailboxes"/>), one page of it:
    /// the counts and the verdict are the whole list's.
    /// </summary>
    public static (DependencyView View, DependencyKey? Next) Of(TransitionView view, RemainingMailboxes mailboxes, DateTimeOffset? asOf, int limit, DependencyKey? after)
    {
        var others = Ordered(view.Items.SelectMany(i => i.Remaining())).ToList();
        // The mailboxes come paged by the store, in its order; the rest is ordered and cut here.
        var all = mailboxes.Page.Select(m => (Key: new DependencyKey(0, m.Name, 0), Item: m))
            .Concat(others.Where(x => after is null || x.Key.CompareTo(after) > 0)).Take(limit + 1).ToList();
        var page = all.Take(limit).ToList();
        var next = all.Count > limit ? page[^1].Key : null;

        int Count(string category) => category == Categories.Mailboxes ? mailboxes.Count : others.Count(i => i.Item.Category == category);
        var counts = new DependencyCounts(Count(Categories.Mailboxes), Count(Categories.Devices), Count(Categories.HybridEndpoints),
            Count(Categories.Directory), Count(Categories.Components), Count(Categories.Blockers), Count(Categories.UnknownSenders));
        var why = WhyExchangeStays(others.Select(o => o.Item), mailboxes.Count);
        return (new DependencyView(view.Id, asOf, mailboxes.Count + others.Count, counts, page.Select(p => p.Item).ToList(), why.Count == 0, why), next);
    }

    /// <summary>Why the last Exchange server must stay, from the other items still on-premises and how many mailboxes are; empty when it can go.</summary>
    public static IReadOnlyList<string> WhyExchangeStays(IEnumerable<DependencyItem> others, int mailboxes)
    {
        var keeping = others.Where(i => i.KeepsExchange).GroupBy(i => i.Category).ToDictionary(g => g.Key, g => g.Count());
        if (mailboxes > 0) keeping[Categories.Mailboxes] = mailboxes;
        return ExchangeRule.WhyItStays(keeping);
    }

    /// <summary>Every item but the mailboxes, in the list's order.</summary>
    public static IEnumerable<DependencyItem> Others(TransitionView view) => Ordered(view.Items.SelectMany(i => i.Remaining())).Select(x => x.Item);

    /// <summary>Every item but the mailboxes, in the list's order, each with its key.</summary>
    private static IEnumerable<(DependencyKey Key, DependencyItem Item)> Ordered(IEnumerable<DependencyItem> items) =>
        items.GroupBy(i => i.Category).SelectMany(category => category
            .Select((item, index) => (Sort: category.Key == Categories.Directory ? index.ToString("D4") : item.Name, Item: item))
            .OrderBy(x => x.Sort, StringComparer.Ordinal)
            .GroupBy(x => x.Sort).SelectMany(same => same.Select((x, duplicate) => (new DependencyKey(Order(category.Key), x.Sort, duplicate), x.Item))))
            .OrderBy(x => x.Item1.Category).ThenBy(x => x.Item1.Name, StringComparer.Ordinal).ThenBy(x => x.Item1.Duplicate);

    /// <summary>The list's order of categories; mailboxes first.</summary>
    public static int Order(string category) => category switch
    {
        Categories.Mailboxes => 0, Categories.Devices => 1, Categories.UnknownSenders => 2, Categories.HybridEndpoints => 3, Categories.Directory => 4,
        Categories.Components => 5, _ => 6,
    };
}
