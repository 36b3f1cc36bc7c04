namespace CloudTransition.Api.Common;

/// <summary>
/// Whether the organisation's last Exchange server can go: the one rule the dependency list's verdict and the refusal to
/// decommission the last Exchange server both apply, to the items that say they keep Exchange (<see cref="DependencyItem.KeepsExchange"/>).
/// </summary>
public static class ExchangeRule
{
    /// <summary>Why Exchange must stay, one sentence per category, from how many items of each keep it; empty when it can be decommissioned.</summary>
    public static IReadOnlyList<string> WhyItStays(IReadOnlyDictionary<string, int> keepingByCategory) =>
        keepingByCategory.Where(c => c.Value > 0).OrderBy(c => Order(c.Key)).Select(c => Sentence(c.Key, c.Value)).ToList();

    /// <summary>The items Exchange is kept for, named for a person ("mailbox ann@abc.com").</summary>
    public static IReadOnlyList<string> Dependents(IEnumerable<DependencyItem> remaining) =>
        remaining.Where(i => i.KeepsExchange).OrderBy(i => Order(i.Category)).Select(i => i.Category switch
        {
            Categories.Mailboxes => $"mailbox {i.Name}",
            Categories.Devices => $"device {i.Name}",
            Categories.UnknownSenders => $"unknown sender {i.Name} (relays through Exchange)",
            Categories.HybridEndpoints => $"hybrid endpoint {i.Name} (pending restart)",
            _ => $"application {i.Name} (runs on an Exchange server)",
        }).ToList();

    private static int Order(string category) => category switch
    {
        Categories.Mailboxes => 0, Categories.Devices => 1, Categories.UnknownSenders => 2, Categories.HybridEndpoints => 3, _ => 4,
    };

    private static string Sentence(string category, int count) => category switch
    {
        Categories.Mailboxes => $"{count} mailbox(es) not yet moved to Exchange Online",
        Categories.Devices => $"{count} device(s) still send mail through on-premises servers",
        Categories.UnknownSenders => $"{count} sender(s) seen relaying through Exchange match no registered device",
        Categories.HybridEndpoints => $"{count} hybrid endpoint(s) pending a restart after the Hybrid Configuration Wizard",
        _ => $"{count} application(s) must run on an Exchange server",
    };
}
