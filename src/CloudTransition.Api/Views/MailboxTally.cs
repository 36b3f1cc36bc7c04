using System.Text.Json.Serialization;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views;

/// <summary>
/// What the views need to know about a transition's mailboxes, as sums: a mailbox's share is taken out before one
/// of its events is applied and put back after, so the tally stays exact whatever order the events arrive in.
/// </summary>
public class MailboxTally
{
    public int Known { get; set; }
    public int Remaining { get; set; }
    public int Completed { get; set; }
    public int UserMailboxes { get; set; }
    public decimal Gb { get; set; }
    public decimal RemainingGb { get; set; }

    /// <summary>Failed moves: address → error.</summary>
    public Dictionary<string, string?> Failed { get; set; } = [];

    /// <summary>The change in remaining mailboxes at each instant (unix ms) where one started or stopped being a dependency.</summary>
    public Dictionary<long, int> Changes { get; set; } = [];

    [JsonIgnore] public int Moved => Known - Remaining;

    /// <summary>Moves a mailbox's share of the tally from its state before an event to its state after.</summary>
    public void Replace(Mailbox? before, Mailbox after)
    {
        if (before is not null) Count(before, -1);
        Count(after, +1);
    }

    private void Count(Mailbox m, int sign)
    {
        if (!m.Ledger.Known) return;
        var gb = m.EstimatedGb;
        Known += sign;
        Gb += sign * gb;
        if (m.IsDependency) (Remaining, RemainingGb) = (Remaining + sign, RemainingGb + sign * gb);
        if (m.Status == MoveStatus.Completed) Completed += sign;
        if (m.Kind == MailboxKind.UserMailbox) UserMailboxes += sign;
        if (m.Status == MoveStatus.Failed)
        {
            if (sign > 0) Failed[m.Address] = m.Error;
            else Failed.Remove(m.Address);
        }
        foreach (var (at, delta) in m.Ledger.DependencyChanges())
        {
            var instant = at.ToUnixTimeMilliseconds();
            var net = Changes.GetValueOrDefault(instant) + sign * delta;
            if (net == 0) Changes.Remove(instant);
            else Changes[instant] = net;
        }
    }
}
