using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Waves;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Mailboxes;

/// <param name="Status">queued, syncing, synced, completed or failed.</param>
/// <param name="Batch">The migration batch, e.g. `wave-2`; a wave of that name (any case) takes the mailbox in.</param>
/// <param name="Error">Why the move failed (required with `failed`).</param>
/// <param name="ExpectedVersion">The mailbox's version as last read; a stale one answers 409.</param>
/// <param name="OccurredAt">When the move reached this status (or reported this detail); defaults to now.</param>
/// <param name="PercentComplete">Exchange Online's PercentageComplete / PercentComplete, 0–100.</param>
/// <param name="StatusDetail">Exchange Online's StatusDetail, e.g. `CopyingMessages` or `StalledDueToTarget_MdbReplication` (a `Stalled…` value marks the move stalled).</param>
/// <param name="ItemsSynced">SyncedItemCount.</param>
/// <param name="ItemsSkipped">SkippedItemCount.</param>
/// <param name="BadItems">BadItemsEncountered.</param>
/// <param name="LargeItems">LargeItemsEncountered.</param>
/// <param name="DataConsistencyScore">perfect, good, investigate or poor.</param>
/// <param name="LastSyncAt">LastSuccessfulSyncTimestamp; not in the future.</param>
public record MoveMailbox(MoveStatus? Status, string? Batch, string? Error, int? ExpectedVersion, DateTimeOffset? OccurredAt,
    int? PercentComplete = null, string? StatusDetail = null, long? ItemsSynced = null, long? ItemsSkipped = null, long? BadItems = null,
    long? LargeItems = null, DataConsistencyScore? DataConsistencyScore = null, DateTimeOffset? LastSyncAt = null) : IReported
{
    public MoveDetail? Detail() => PercentComplete is null && StatusDetail is null && ItemsSynced is null && ItemsSkipped is null && BadItems is null
        && LargeItems is null && DataConsistencyScore is null && LastSyncAt is null
            ? null
            : new MoveDetail(PercentComplete, StatusDetail, ItemsSynced, ItemsSkipped, BadItems, LargeItems, DataConsistencyScore, LastSyncAt);

    public class Validator : AbstractValidator<MoveMailbox>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Status).NotNull().NotEqual(MoveStatus.NotStarted).WithMessage("status must be queued, syncing, synced, completed or failed.");
            RuleFor(x => x.Error).NotEmpty().When(x => x.Status == MoveStatus.Failed).WithMessage("error is required when a move failed.");
            RuleFor(x => x.Error).MaximumLength(4000);
            RuleFor(x => x.Batch).MaximumLength(200);
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.PercentComplete).InclusiveBetween(0, 100);
            RuleFor(x => x.StatusDetail).MaximumLength(200);
            RuleFor(x => x.ItemsSynced).GreaterThanOrEqualTo(0);
            RuleFor(x => x.ItemsSkipped).GreaterThanOrEqualTo(0);
            RuleFor(x => x.BadItems).GreaterThanOrEqualTo(0);
            RuleFor(x => x.LargeItems).GreaterThanOrEqualTo(0);
            RuleFor(x => x.LastSyncAt).Must(at => at is null || at <= time.GetUtcNow() + Reported.FutureTolerance)
                .WithMessage("lastSyncAt is more than five minutes in the future.");
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public record MoveAnswer(string Address, MoveStatus Status, long Version, string? WaveId);

public static class MoveMailboxEndpoint
{
    /// <summary>
    /// A stale expected version is a conflict; the status and detail the move already has record nothing; the same status with
    /// new detail is progress; a change the move rules do not allow (completed → syncing) is a conflict. A batch named like a
    /// wave puts the mailbox in it, unless a later assignment put it elsewhere.
    /// </summary>
    public static Decision Decide(Mailbox? mailbox, MoveMailbox r, string id, string address, DateTimeOffset at, Wave? batchWave = null)
    {
        if (mailbox is null) return new Refusal.NotFound($"No mailbox '{address}' in transition '{id}'.");
        if (r.ExpectedVersion is { } expected && expected != mailbox.Version)
            return new Refusal.Conflict($"The mailbox is at version {mailbox.Version}, not {expected}. Read it again.");
        var to = r.Status!.Value;
        var joins = batchWave is { } wave && wave.WaveId != mailbox.WaveId && mailbox.Holds(wave.WaveId, at)
            ? new MailboxAssignedToWave(id, mailbox.Address, wave.WaveId, mailbox.WaveId, at)
            : null;
        object[] moved;
        if (to == mailbox.Status) moved = IsNews(mailbox, r.Detail(), at) ? [Moved(mailbox, r, to, id, at)] : [];
        else if (!MoveRules.CanChange(mailbox.Status, to)) return new Refusal.Conflict(MoveRules.Refusal(mailbox.Status, to));
        else moved = [Moved(mailbox, r, to, id, at)];
        return Decision.Accept(joins is null ? moved : [.. moved, joins]);
    }

    private static MailboxMoveStatusChanged Moved(Mailbox mailbox, MoveMailbox r, MoveStatus to, string id, DateTimeOffset at) =>
        new(id, mailbox.Address, mailbox.Status, to, r.Batch, r.Error, at) { Detail = r.Detail() };

    /// <summary>A report of the status the move has is news when it brings other detail and is not older than what is recorded.</summary>
    private static bool IsNews(Mailbox m, MoveDetail? detail, DateTimeOffset at) =>
        detail is not null && at >= m.Ledger.StateAt && detail != new MoveDetail(m.PercentComplete, m.StatusDetail, m.ItemsSynced, m.ItemsSkipped,
            m.BadItems, m.LargeItems, m.DataConsistencyScore, m.LastSyncAt);

    public static async Task<Outcome<Mailbox>> Handle(string id, string address, MoveMailbox r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.StreamForWriting<Mailbox>(TransitionStreams.Mailbox(id, address));
        var wave = r.Batch is { } batch ? await session.WaveNamed(id, batch) : null;
        return stream.Apply(Decide(stream.Aggregate, r, id, address, r.At(time), wave), Mailbox.Fold);
    }

    [Tags("Mailboxes")]
    [RequestExample("""{"status":"syncing","batch":"wave-2","percentComplete":42,"statusDetail":"CopyingMessages","itemsSynced":12040,"occurredAt":"2026-10-01T18:30:00Z"}""")]
    [WolverinePost("/api/transitions/{id}/mailboxes/{address}/move", OperationId = "moveMailbox", Summary = "Report a mailbox move's status and detail",
        Description = "queued → syncing → synced → completed, any started move → failed (with `error`), failed → queued (retry). " +
                      "An impossible change (completed → syncing) answers 409. The status it already has with new detail (percent, items, status detail) " +
                      "is recorded as progress; with nothing new it answers 200 and records nothing. A `batch` equal to a wave's name puts the mailbox in that wave.")]
    public static async Task<Results<Ok<MoveAnswer>, ProblemHttpResult>> Post(string id, string address, MoveMailbox request, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, address, request, session, time)).Answer(m => TypedResults.Ok(new MoveAnswer(m.Address, m.Status, m.Version, m.WaveId)));
}
