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
}
