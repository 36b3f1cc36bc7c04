using CloudTransition.Contracts;

namespace CloudTransition.Api.Mailboxes;

/// <summary>
/// A move goes queued → syncing → synced → completed (automation may skip a step it did not report);
/// any started move may fail; a failed move may only be queued again; a completed move is final.
/// </summary>
public static class MoveRules
{
    public static bool CanChange(MoveStatus from, MoveStatus to) => (from, to) switch
    {
        (MoveStatus.Completed, _) => false,
        (_, MoveStatus.Failed) => from != MoveStatus.NotStarted,
        (MoveStatus.Failed, _) => to == MoveStatus.Queued,
        _ => to > from,
    };

    public static string Refusal(MoveStatus from, MoveStatus to) => from switch
    {
        MoveStatus.Completed => "The move is completed; a completed mailbox cannot change its move status.",
        MoveStatus.Failed => "A failed move can only be queued again.",
        MoveStatus.NotStarted when to == MoveStatus.Failed => "A move that was never queued cannot fail.",
        _ => $"A move cannot go back from {Common.Kebab.Name(from)} to {Common.Kebab.Name(to)}.",
    };
}
