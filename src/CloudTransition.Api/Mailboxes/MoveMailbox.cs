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
    [Tags("Mailboxes")]
    [WolverinePost("/api/transitions/{id}/mailboxes/{address}/move", OperationId = "moveMailbox", Summary = "Report a mailbox move's status",
        Description = "queued → syncing → synced → completed, any started move → failed (with `error`), failed → queued (retry). " +
                      "An impossible change (completed → syncing) answers 409; the status it already has answers 200 and records nothing.")]
    public static async Task<Results<Ok<MoveAnswer>, ProblemHttpResult>> Post(
        string id, string address, MoveMailbox request, IDocumentSession session, TimeProvider time)
    {
        var stream = await session.StreamForWriting<Mailbox>(TransitionStreams.Mailbox(id, address));
        if (stream.Aggregate is not { } mailbox) return Problem.NotFound($"No mailbox '{address}' in transition '{id}'.");
        // The version of the state we decide on (not the stream's, read apart from it, which a concurrent move may have passed).
        var version = mailbox.Version;
        if (request.ExpectedVersion is { } expected && expected != version)
            return Problem.Conflict($"The mailbox is at version {version}, not {expected}. Read it again.");

        var to = request.Status!.Value;
        if (to == mailbox.Status) return TypedResults.Ok(new MoveAnswer(mailbox.Address, to, version));
        if (!MoveRules.CanChange(mailbox.Status, to)) return Problem.Conflict(MoveRules.Refusal(mailbox.Status, to));

        stream.AppendOne(new MailboxMoveStatusChanged(id, mailbox.Address, mailbox.Status, to, request.Batch, request.Error, request.At(time)));
        return TypedResults.Ok(new MoveAnswer(mailbox.Address, to, version + 1));
    }
}
