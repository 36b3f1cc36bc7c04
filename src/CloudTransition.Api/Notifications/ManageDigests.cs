using CloudTransition.Api.Common;
using CloudTransition.Api.Security;
using CloudTransition.Api.Transitions;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Notifications;

/// <param name="To">Who gets it: 1 to 50 e-mail addresses.</param>
/// <param name="Schedule">`daily` (07:00 UTC) or `weekly` (Mondays, 07:00 UTC).</param>
/// <param name="TransitionId">The transition it summarises; the tenant's portfolio when absent.</param>
public record PlanDigest(IReadOnlyList<string>? To, DigestSchedule? Schedule, string? TransitionId)
{
    public class Validator : AbstractValidator<PlanDigest>
    {
        public Validator()
        {
            RuleFor(x => x.To).NotEmpty().Must(t => t!.Count <= 50).WithMessage("to may name at most 50 addresses.");
            RuleForEach(x => x.To).NotEmpty().MaximumLength(254).Must(a => MimeKit.MailboxAddress.TryParse(a, out var m) && m.Address.Contains('@') && string.IsNullOrEmpty(m.Name))
                .WithMessage((_, a) => $"'{a}' is not an e-mail address.");
            RuleFor(x => x.Schedule).NotNull();
            RuleFor(x => x.TransitionId).MaximumLength(100);
        }
    }
}

/// <summary>A digest: who gets it, when, and how the last one went.</summary>
public record DigestView(string DigestId, IReadOnlyList<string> To, DigestSchedule Schedule, string? TransitionId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSentAt, DateTimeOffset NextDueAt, string? LastError)
{
    public static DigestView Of(Digest d) => new(d.Id, d.To, d.Schedule, d.TransitionId, d.CreatedAt, d.LastSentAt, d.NextDueAt, d.LastError);
}

/// <summary>The digest sent: its subject and when.</summary>
public record DigestSent(string DigestId, string Subject, DateTimeOffset SentAt);

public static class ManageDigestsEndpoints
{
    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [RequestExample("""{"to":["pm@partner.example","it-lead@customer.example"],"schedule":"weekly"}""")]
    [WolverinePost("/api/digests", OperationId = "createDigest", Summary = "Mail a summary on a schedule",
        Description = "An e-mail (HTML with a plain-text part) of one transition, or of the tenant's portfolio: progress, what changed since the last digest, " +
                      "alerts and risks, waves, ageing support cases. Sent over SMTP (`Smtp__Host`, `Smtp__Port`, `Smtp__From`, optional `Smtp__User`/`Smtp__Password`).")]
    public static async Task<Results<Created<DigestView>, ProblemHttpResult>> Post(PlanDigest r, IDocumentSession session, TimeProvider time)
    {
        if (r.TransitionId is { } id && !await session.TransitionExists(id)) return Problem.Invalid("transitionId", $"The tenant has no transition '{id}'.");
        var now = time.GetUtcNow();
        var digest = new Digest
        {
            Id = "dig_" + Guid.CreateVersion7().ToString("N"), TenantId = session.TenantId, To = r.To!.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Schedule = r.Schedule!.Value, TransitionId = r.TransitionId, CreatedAt = now, NextDueAt = DigestRules.NextDue(r.Schedule.Value, now),
        };
        session.Store(digest);
        await session.SaveChangesAsync();
        return TypedResults.Created($"/api/digests/{digest.Id}", DigestView.Of(digest));
    }

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineGet("/api/digests", OperationId = "listDigests", Summary = "The tenant's e-mail digests",
        Description = "Each with its recipients, schedule, when it was last sent, when it is due, and the last error. Admins only.")]
    public static async Task<IReadOnlyList<DigestView>> List(IQuerySession session) =>
        (await session.Query<Digest>().OrderBy(d => d.CreatedAt).ToListAsync()).Select(DigestView.Of).ToList();

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineDelete("/api/digests/{digestId}", OperationId = "deleteDigest", Summary = "Stop a digest", Description = "No more e-mails from it.")]
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string digestId, IDocumentSession session)
    {
        if (await session.LoadAsync<Digest>(digestId) is null) return NotFound(digestId);
        session.Delete<Digest>(digestId);
        await session.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    [Tags("Notifications")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverinePost("/api/digests/{digestId}/send", OperationId = "sendDigest", Summary = "Send a digest now",
        Description = "As the schedule would; the next scheduled one counts its changes from now. 503 when SMTP is not configured or the server refused it.")]
    public static async Task<Results<Ok<DigestSent>, ProblemHttpResult>> Send(string digestId, IDocumentSession session, DigestSender sender, CancellationToken ct)
    {
        if (await session.LoadAsync<Digest>(digestId) is not { } digest) return NotFound(digestId);
        var (sent, error) = await sender.Send(session, digest, ct);
        return sent is null
            ? TypedResults.Problem(error, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The digest could not be sent")
            : TypedResults.Ok(new DigestSent(digest.Id, sent.Subject, digest.LastSentAt!.Value));
    }

    private static ProblemHttpResult NotFound(string digestId) => Problem.NotFound($"No digest '{digestId}'.");
}
