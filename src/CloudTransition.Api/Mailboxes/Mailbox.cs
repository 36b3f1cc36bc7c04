using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Mailboxes;

/// <summary>
/// One mailbox and its move (its latest report by occurredAt). Its own stream, so moves of different mailboxes never
/// contend; kept inline for lists and the write side, and copied by the views (<see cref="Views.MailboxEntry"/>).
/// </summary>
public sealed record Mailbox : ItemState, IDependency
{
    public string Address { get; init; } = "";
    public MailboxKind Kind { get; init; }
    public decimal? SizeGb { get; init; }
    public MoveStatus Status { get; init; }
    public string? Batch { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset InventoriedAt { get; init; }
    public DateTimeOffset? StatusChangedAt { get; init; }

    /// <summary>A move's reports rank by its lifecycle (queued before syncing …), so same-instant reports fold the same in any order.</summary>
    public static Mailbox? Fold(Mailbox? mailbox, object e) => e switch
    {
        MailboxInventoried i => (mailbox ?? new Mailbox()).Inventoried(i),
        MailboxMoveStatusChanged moved => (mailbox ?? new Mailbox { TransitionId = moved.TransitionId, Address = moved.Address }).Moved(moved),
        _ => mailbox,
    };

    private Mailbox Inventoried(MailboxInventoried e)
    {
        var (ledger, latest) = Ledger.Create(e.OccurredAt);
        var inventoried = this with
        {
            Ledger = ledger, TransitionId = e.TransitionId, Address = e.Address, Kind = e.Kind, SizeGb = e.SizeGb, InventoriedAt = e.OccurredAt,
        };
        return latest ? inventoried with { Status = MoveStatus.NotStarted, Error = null } : inventoried;
    }

    private Mailbox Moved(MailboxMoveStatusChanged e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 1 + (int)e.Status, dependency: e.Status != MoveStatus.Completed, $"{e.Batch}|{e.Error}");
        return latest
            ? this with
            {
                Ledger = ledger, Status = e.Status, Batch = e.Batch ?? Batch, Error = e.Status == MoveStatus.Failed ? e.Error : null, StatusChangedAt = e.OccurredAt,
            }
            : this with { Ledger = ledger, Batch = Batch ?? e.Batch };
    }

    /// <summary>On-prem storage per mailbox when its size is not known, from the field notes: fast SAN per user mailbox, per resource or shared one.</summary>
    public const decimal UserMailboxGb = 55, ResourceMailboxGb = 5, SharedMailboxGb = 5;

    /// <summary>Its size, or the field notes' estimate for its kind.</summary>
    public decimal EstimatedGb => SizeGb ?? Kind switch
    {
        MailboxKind.UserMailbox => UserMailboxGb,
        MailboxKind.ResourceMailbox => ResourceMailboxGb,
        _ => SharedMailboxGb,
    };

    public IReadOnlyList<DependencyItem> Remaining() => !IsDependency ? [] : [Dependency(Address, Status, Error)];

    /// <summary>What a mailbox still on-premises keeps there; also used by the dependency list, which reads only these fields.</summary>
    public static DependencyItem Dependency(string address, MoveStatus status, string? error) => status == MoveStatus.Failed
        ? new(Categories.Mailboxes, address, $"move failed: {error}", "fix the cause and queue the move again", KeepsExchange: true)
        : new(Categories.Mailboxes, address, $"still on-premises (move {Kebab.Name(status)})", "complete its move to Exchange Online", KeepsExchange: true);
}

/// <summary>A mailbox as the API shows it (its URL names it by address).</summary>
public record MailboxAnswer(string TransitionId, string Address, MailboxKind Kind, decimal? SizeGb, MoveStatus Status, string? Batch, string? Error,
    DateTimeOffset InventoriedAt, DateTimeOffset? StatusChangedAt, int Version)
{
    public static MailboxAnswer Of(Mailbox m) => new(m.TransitionId, m.Address, m.Kind, m.SizeGb, m.Status, m.Batch, m.Error, m.InventoriedAt, m.StatusChangedAt, m.Version);
}

public static class MailboxDocuments
{
    public static void AddMailboxDocuments(this StoreOptions opts) => opts.AddItemState<Mailbox>(Mailbox.Fold, m => m.TransitionId);
}
