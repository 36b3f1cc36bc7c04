namespace CloudTransition.Api.Transitions;

/// <summary>
/// Stream keys. Every item of a transition has its own stream under the transition's key, so
/// appends to different mailboxes or devices never contend, and "all events of a transition" is
/// the prefix "{transitionId}/".
/// </summary>
public static class TransitionStreams
{
    public static string Transition(string transitionId) => transitionId;
    public static string Mailbox(string transitionId, string address) => $"{transitionId}/mailbox/{address.ToLowerInvariant()}";
    public static string Prefix(string transitionId) => $"{transitionId}/";

    /// <summary>The LIKE pattern of a transition's item streams (its prefix, with LIKE's special characters escaped).</summary>
    public static string LikePattern(string transitionId) => Starting(Prefix(transitionId));

    /// <summary>The LIKE pattern of a transition's mailbox streams.</summary>
    public static string MailboxLikePattern(string transitionId) => Starting(Mailbox(transitionId, ""));

    private static string Starting(string prefix) => prefix.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";

    /// <summary>The URL an answer gives for an item instead of its stream key (which no answer shows).</summary>
    public static string Url(string streamKey)
    {
        var parts = streamKey.Split('/', 3);
        var transition = $"/api/transitions/{Uri.EscapeDataString(parts[0])}";
        return parts.Length switch
        {
            1 => transition,
            2 => $"{transition}/{parts[1]}",                                       // hybrid, directory-sync: one per transition
            _ => parts[1] switch
            {
                "mailbox" => $"{transition}/mailboxes?address={Uri.EscapeDataString(parts[2])}",
                "case" => $"{transition}/support-cases/{Uri.EscapeDataString(parts[2])}",
                "relay-discovery" => $"{transition}/relay-discovery/{Uri.EscapeDataString(parts[2])}",
                var kind => $"{transition}/{kind}s/{Uri.EscapeDataString(parts[2])}",
            },
        };
    }
}
