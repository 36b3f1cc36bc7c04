using System.Security.Claims;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

/// <summary>A tenant a signed-in person may switch to, and their role there.</summary>
public record TenantRole(string Tenant, ApiRole Role);

/// <summary>Who the caller is and what it may do.</summary>
/// <param name="Tenant">The tenant the caller's reads and writes belong to.</param>
/// <param name="Role">viewer (reads), contributor and automation (records), admin (also keys, sources, subscriptions, digests and identity providers).</param>
/// <param name="Name">The key's name, or the person's or application's display name.</param>
/// <param name="KeyId">The key, as events and the timeline name it; null for a person or application signed in with an identity provider.</param>
/// <param name="MayRecord">Whether the caller may record events.</param>
/// <param name="MayAdminister">Whether the caller may manage the tenant's keys, webhook sources, subscriptions, digests and identity providers.</param>
/// <param name="Actor">Who the caller is, as the events it records name it.</param>
/// <param name="Tenants">For a signed-in person: every tenant whose identity provider gives them a role (`POST /auth/tenant` switches); empty otherwise.</param>
/// <param name="CsrfToken">For a signed-in page: the `X-CSRF-Token` its changes must carry; null for keys and tokens.</param>
public record CallerView(string Tenant, ApiRole Role, string Name, string? KeyId, bool MayRecord, bool MayAdminister,
    Actor Actor, IReadOnlyList<TenantRole> Tenants, string? CsrfToken);

public static class WhoAmIEndpoint
{
    [Tags("Security")]
    [WolverineGet("/api/me", OperationId = "getMe", Summary = "Who the caller is",
        Description = "The tenant and role of the key, token or signed-in person the request carries, and what that role may do; the dashboard page asks it to show what the caller can use.")]
    public static async Task<CallerView> Get(ClaimsPrincipal user, HttpContext http, IDocumentStore store, IAntiforgery antiforgery)
    {
        var role = Actors.Role(user)!.Value;
        var actor = Actors.Of(user);
        IReadOnlyList<TenantRole> tenants = [];
        string? csrf = null;
        if (SignInEndpoints.IsSession(user))
        {
            await using var session = store.QuerySession();
            tenants = (await SignInEndpoints.MembershipsOf(user, session, http.RequestAborted))
                .Where(m => m.Role is not null).Select(m => new TenantRole(m.Tenant, m.Role!.Value)).ToList();
            csrf = antiforgery.GetAndStoreTokens(http).RequestToken;
        }
        return new CallerView(user.Tenant(), role, actor.Name, actor.Kind == Actor.Key ? actor.Id : null, role != ApiRole.Viewer, role == ApiRole.Admin,
            actor, tenants, csrf);
    }
}
