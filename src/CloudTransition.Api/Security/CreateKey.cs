using CloudTransition.Api.Common;
using System.Security.Claims;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

/// <param name="Tenant">The tenant the key belongs to; defaults to the caller's.</param>
/// <param name="Role">viewer, contributor, automation or admin.</param>
/// <param name="Name">What the key is for, e.g. `migration-script`.</param>
public record CreateKey(string? Tenant, ApiRole? Role, string? Name)
{
    public class Validator : AbstractValidator<CreateKey>
    {
        public Validator()
        {
            RuleFor(x => x.Role).NotNull();
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Tenant).MaximumLength(63);
        }
    }
}

/// <summary>The new key; the key itself is shown only in this answer.</summary>
public record KeyCreated(string Id, string Key, string Tenant, ApiRole Role, string Name);

public static class CreateKeyEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(CreateKey request, ClaimsPrincipal user, IQuerySession session)
    {
        var tenant = request.Tenant ?? user.Tenant();
        var allowed = tenant == user.Tenant() || user.IsPlatformAdmin();
        return allowed && await session.LoadAsync<Tenant>(tenant) is not null
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = 404, Title = "Not found", Detail = $"No tenant '{tenant}'." };
    }

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [RequestExample("""{"tenant":"contoso","role":"automation","name":"migration-script"}""")]
    [WolverinePost("/api/keys", OperationId = "createKey", Summary = "Issue an API key",
        Description = "An admin issues a key for its own tenant (platform admins for any). The key is returned once; only its hash is stored.")]
    public static Created<KeyCreated> Post(CreateKey request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time)
    {
        var secret = ApiKey.NewSecret();
        var key = new ApiKey
        {
            Id = ApiKey.NewId(), Hash = ApiKey.HashOf(secret), TenantId = request.Tenant ?? user.Tenant(),
            Role = request.Role!.Value, Name = request.Name!, CreatedAt = time.GetUtcNow(),
        };
        session.Insert(key);
        return TypedResults.Created($"/api/keys/{key.Id}", new KeyCreated(key.Id, secret, key.TenantId, key.Role, key.Name));
    }
}
