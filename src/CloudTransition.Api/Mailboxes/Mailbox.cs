using CloudTransition.Api.Common;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.Mailboxes;

/// <summary>One mailbox and its move. Its own stream, so moves of different mailboxes never contend; kept inline for lists.</summary>
public class Mailbox
{
    public string Id { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string Address { get; set; } = "";
    public MailboxKind Kind { get; set; }
    public decimal? SizeGb { get; set; }
    public MoveStatus Status { get; set; }
    public string? Batch { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset InventoriedAt { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public int Version { get; set; }

    public static Mailbox Create(MailboxInventoried e) => new()
    {
        TransitionId = e.TransitionId, Address = e.Address, Kind = e.Kind, SizeGb = e.SizeGb,
        Status = MoveStatus.NotStarted, InventoriedAt = e.OccurredAt,
    };

    public void Apply(MailboxMoveStatusChanged e)
    {
        Status = e.Status;
        Batch = e.Batch ?? Batch;
        Error = e.Status == MoveStatus.Failed ? e.Error : null;
        StatusChangedAt = e.OccurredAt;
    }
}

public static class MailboxDocuments
{
    public static void AddMailboxDocuments(this StoreOptions opts)
    {
        opts.Projections.Snapshot<Mailbox>(SnapshotLifecycle.Inline);
        // A column, not an index on the JSON: a move then changes no indexed value, so PostgreSQL can update the row in place (HOT).
        opts.Schema.For<Mailbox>().Duplicate(m => m.TransitionId, configure: TransitionIndex.PerTenant);
    }
}
