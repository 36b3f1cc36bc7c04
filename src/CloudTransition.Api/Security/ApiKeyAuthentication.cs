using System.Security.Claims;
using System.Text.Encodings.Web;
using CloudTransition.Contracts;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CloudTransition.Api.Security;

/// <summary>Authenticates `Authorization: Bearer &lt;key&gt;` or `X-Api-Key: &lt;key&gt;` against the stored key hashes.</summary>
public class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDocumentStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string TenantClaim = "tenant";
    public const string KeyIdClaim = "key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null) return AuthenticateResult.NoResult();

        var hash = ApiKey.HashOf(presented);
        await using var session = store.QuerySession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        if (key is null || key.RevokedAt is not null) return AuthenticateResult.Fail("Unknown or revoked API key");

        var identity = new ClaimsIdentity(
        [
            new Claim(TenantClaim, key.TenantId),
            new Claim(KeyIdClaim, key.Id),
            new Claim(ClaimTypes.Name, key.Name),
            new Claim(ClaimTypes.Role, key.Role.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return NonEmpty(header["Bearer ".Length..]);
        return NonEmpty(request.Headers["X-Api-Key"].ToString());
    }

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class Caller
{
    public static string Tenant(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyAuthentication.TenantClaim)!;
    public static bool IsPlatformAdmin(this ClaimsPrincipal user) =>
        user.IsInRole(nameof(ApiRole.Admin)) && user.Tenant() == SecurityDocuments.DefaultTenant;
}
