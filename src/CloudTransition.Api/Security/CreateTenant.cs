using CloudTransition.Api.Common;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

/// <param name="Id">The tenant id: lower-case letters, digits and dashes (e.g. `abc-com`).</param>
/// <param name="Name">The organisation's display name.</param>
public record CreateTenant(string? Id, string? Name)
{
    public class Validator : AbstractValidator<CreateTenant>
    {
        public Validator()
        {
            RuleFor(x => x.Id).NotEmpty().Matches("^[a-z0-9][a-z0-9-]{1,62}$")
                .WithMessage("Use 2 to 63 lower-case letters, digits or dashes, starting with a letter or digit.");
            RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        }
    }
}

public record TenantCreated(string Id, string Name);

public static class CreateTenantEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(CreateTenant request, ClaimsPrincipal user, IQuerySession session)
    {
        if (!user.IsPlatformAdmin())
            return new ProblemDetails { Status = 403, Title = "Forbidden", Detail = "Only an admin key of the 'default' tenant may create tenants." };
        return await session.LoadAsync<Tenant>(request.Id!) is null
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = 409, Title = "Conflict", Detail = $"Tenant '{request.Id}' already exists." };
    }

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [RequestExample("""{"id":"contoso","name":"Contoso Ltd"}""")]
    [WolverinePost("/api/tenants", OperationId = "createTenant", Summary = "Create a tenant (a customer organisation)",
        Description = "Platform admins only (an admin key of tenant `default`). Each tenant's data is invisible to every other tenant.")]
    public static Created<TenantCreated> Post(CreateTenant request, IDocumentSession session, TimeProvider time)
    {
        session.Insert(new Tenant { Id = request.Id!, Name = request.Name!, CreatedAt = time.GetUtcNow() });
        return TypedResults.Created($"/api/tenants/{request.Id}", new TenantCreated(request.Id!, request.Name!));
    }
}
