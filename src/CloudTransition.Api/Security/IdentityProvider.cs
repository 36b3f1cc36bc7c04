using System.Security.Claims;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Security;

/// <summary>
/// An OpenID Connect provider (Entra ID or any other) whose people and applications a tenant accepts, and the role each of the
/// provider's app roles or groups gives them there. Several tenants may register the same provider (a partner's own Entra ID).
/// </summary>
public class IdentityProvider
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string Authority { get; set; } = "";
    /// <summary>The `issuer` of the authority's discovery document: what its tokens carry in `iss`.</summary>
    public string Issuer { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? Audience { get; set; }
    public string? ProtectedClientSecret { get; set; }
    public Dictionary<string, ApiRole> Roles { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The audience access tokens for the API must carry: the one configured, else the client id.</summary>
    public string AcceptedAudience => Audience ?? ClientId;

    public static string NewId() => "idp_" + Guid.CreateVersion7().ToString("N");
}

/// <summary>A tenant a signed-in person or application may act in, and as what.</summary>
public record Membership(string Tenant, ApiRole? Role, string ProviderId);

/// <summary>
/// The one rule for what a token's holder may do: each provider that issued it (same issuer) and that it was meant for
/// (audience or client id) gives a membership of the provider's tenant, with the highest role its `roles` or `groups` map to.
/// </summary>
public static class Memberships
{
    public const string RolesClaim = "roles";
    public const string GroupsClaim = "groups";

    public static Membership Of(IdentityProvider provider, IEnumerable<string> rolesAndGroups)
    {
        var mapped = rolesAndGroups.Where(provider.Roles.ContainsKey).Select(r => provider.Roles[r]).ToList();
        return new Membership(provider.TenantId, mapped.Count == 0 ? null : mapped.Max(), provider.Id);
    }

    public static IEnumerable<string> RolesAndGroups(IEnumerable<Claim> claims) =>
        claims.Where(c => c.Type is RolesClaim or GroupsClaim).Select(c => c.Value);

    /// <summary>
    /// Every tenant with a provider of this issuer that accepts one of the audiences, in the order they registered it; a tenant that
    /// registered it twice gives the higher role.
    /// </summary>
    public static async Task<IReadOnlyList<Membership>> Find(IQuerySession session, string issuer, IReadOnlyCollection<string> audiences,
        IEnumerable<string> rolesAndGroups, CancellationToken ct)
    {
        var providers = await Providers(session, issuer, ct);
        var roles = rolesAndGroups.ToList();
        return providers.Where(p => audiences.Contains(p.AcceptedAudience) || audiences.Contains(p.ClientId))
            .Select(p => Of(p, roles)).GroupBy(m => m.Tenant)
            .Select(tenant => tenant.OrderByDescending(m => m.Role.HasValue ? (int)m.Role.Value : -1).First()).ToList();
    }

    public static async Task<IReadOnlyList<IdentityProvider>> Providers(IQuerySession session, string issuer, CancellationToken ct) =>
        await session.Query<IdentityProvider>().Where(p => p.Issuer == issuer).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
}

public static class IdentityProviderDocuments
{
    public static void AddIdentityProviderDocuments(this StoreOptions opts) =>
        // Looked up by a token's issuer before a tenant is known.
        opts.Schema.For<IdentityProvider>().SingleTenanted().Index(p => p.Issuer).DocumentAlias("identity_provider");
}
