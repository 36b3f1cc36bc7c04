using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Mailboxes;

/// <param name="Status">queued, syncing, synced, completed or failed.</param>
/// <param name="Batch">The migration batch, e.g. `wave-2`.</param>
/// <param name="Error">Why the move failed (required with `failed`).</param>
/// <param name="ExpectedVersion">The mailbox's version as last read; a stale one answers 409.</param>
/// <param name="OccurredAt">When the move reached this status; defaults to now.</param>
public record MoveMailbox(MoveStatus? Status, string? Batch, string? Error, int? ExpectedVersion, DateTimeOffset? OccurredAt) : IReported
{
    public class Validator : AbstractValidator<MoveMailbox>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(x => x.Status).NotNull().NotEqual(MoveStatus.NotStarted).WithMessage("status must be queued, syncing, synced, completed or failed.");
            RuleFor(x => x.Error).NotEmpty().When(x => x.Status == MoveStatus.Failed).WithMessage("error is required when a move failed.");
            RuleFor(x => x.Error).MaximumLength(4000);
            RuleFor(x => x.Batch).MaximumLength(200);
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            this.OccurredAtIsNotInTheFuture(time);
        }
    }
}

public record MoveAnswer(string Address, MoveStatus Status, long Version);

public static class MoveMailboxEndpoint
{
    /// <summary>
    /// A stale expected version is a conflict; the status the move already has records nothing; a change the move rules do not
    /// allow (completed → syncing) is a conflict.
    /// </summary>
    public static Decision Decide(Mailbox? mailbox, MoveMailbox r, string id, string address, DateTimeOffset at)
    {
        if (mailbox is null) return new Refusal.NotFound($"No mailbox '{address}' in transition '{id}'.");
        if (r.ExpectedVersion is { } expected && expected != mailbox.Version)
            return new Refusal.Conflict($"The mailbox is at version {mailbox.Version}, not {expected}. Read it again.");
        var to = r.Status!.Value;
        if (to == mailbox.Status) return Decision.Nothing;
        if (!MoveRules.CanChange(mailbox.Status, to)) return new Refusal.Conflict(MoveRules.Refusal(mailbox.Status, to));
        return Decision.Accept(new MailboxMoveStatusChanged(id, mailbox.Address, mailbox.Status, to, r.Batch, r.Error, at));
    }

    public static async Task<Outcome<Mailbox>> Handle(string id, string address, MoveMailbox r, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.StreamForWriting<Mailbox>(TransitionStreams.Mailbox(id, address));
        return stream.Apply(Decide(stream.Aggregate, r, id, address, r.At(time)), Mailbox.Fold);
    }

    [Tags("Mailboxes")]
    [RequestExample("""{"status":"completed","batch":"wave-2","occurredAt":"2026-10-01T18:30:00Z"}""")]
    [WolverinePost("/api/transitions/{id}/mailboxes/{address}/move", OperationId = "moveMailbox", Summary = "Report a mailbox move's status",
        Description = "queued → syncing → synced → completed, any started move → failed (with `error`), failed → queued (retry). " +
                      "An impossible change (completed → syncing) answers 409; the status it already has answers 200 and records nothing.")]
    public static async Task<Results<Ok<MoveAnswer>, ProblemHttpResult>> Post(string id, string address, MoveMailbox request, IDocumentSession session, TimeProvider time) =>
        (await Handle(id, address, request, session, time)).Answer(m => TypedResults.Ok(new MoveAnswer(m.Address, m.Status, m.Version)));
}
