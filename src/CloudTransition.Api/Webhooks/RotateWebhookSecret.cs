using CloudTransition.Api.Common;
using CloudTransition.Api.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Http;

namespace CloudTransition.Api.Webhooks;

/// <summary>The new secret, shown once; the previous one (if any) stays valid until `previousValidUntil`.</summary>
public record SourceSecretIssued(string Source, string Secret, DateTimeOffset? PreviousValidUntil);

public static class RotateWebhookSecretEndpoint
{
    [Tags("Webhooks")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverinePut("/api/webhook-sources/{source}", OperationId = "putWebhookSource", Summary = "Create a webhook source or rotate its secret",
        Description = "Answers the source's new `whsec_` secret once; it is stored encrypted and never returned again. After a rotation the previous " +
                      "secret keeps working for 24 hours. 201 when the source is new, 200 after a rotation.")]
    public static async Task<Results<Created<SourceSecretIssued>, Ok<SourceSecretIssued>, ProblemHttpResult>> Put(
        string source, IDocumentSession session, SecretProtector protector, TimeProvider time)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(source, "^[a-z0-9][a-z0-9._-]{0,62}$"))
            return Problem.Invalid("source", "Use 1 to 63 lower-case letters, digits, dots, dashes or underscores.");
        var now = time.GetUtcNow();
        var secret = SecretProtector.NewSecret();
        var existing = await session.LoadAsync<WebhookSource>(source);
        var record = existing ?? new WebhookSource { Id = source, CreatedAt = now };
        var graceEnds = now + SecretProtector.RotationGrace;
        record.Secrets = SourceSecret.Rotated(record.Secrets, protector.Protect(secret), now);
        record.RotatedAt = now;
        session.Store(record);

        var issued = new SourceSecretIssued(source, secret, existing is null ? null : graceEnds);
        return existing is null ? TypedResults.Created($"/api/webhook-sources/{source}", issued) : TypedResults.Ok(issued);
    }
}
