using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CloudTransition.Api.Security;

/// <summary>`SignIn` settings.</summary>
public sealed class SignInOptions
{
    /// <summary>Accept identity providers whose authority is http (a provider on loopback in tests); https otherwise.</summary>
    public bool AllowHttp { get; set; }
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>Each authority's discovery document and signing keys, fetched once and refreshed by IdentityModel (also when a token names a key it has not seen).</summary>
public sealed class OidcConfigurations(IHttpClientFactory clients, IOptions<SignInOptions> options, TimeProvider time)
{
    /// <summary>How often a token naming an unknown key may make the service read the provider's keys again.</summary>
    public static readonly TimeSpan RenewalInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _renewed = new();

    public ConfigurationManager<OpenIdConnectConfiguration> For(string authority) =>
        _managers.GetOrAdd(authority, a => new ConfigurationManager<OpenIdConnectConfiguration>(
            DiscoveryUrl(a), new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(clients.CreateClient(nameof(OidcConfigurations))) { RequireHttps = !options.Value.AllowHttp }));

    public static string DiscoveryUrl(string authority) => authority.TrimEnd('/') + "/.well-known/openid-configuration";

    /// <summary>
    /// Reads the keys again with the next validation, at most once a minute per authority. IdentityModel's own refresh on an unknown
    /// key happens in the background, so the first token signed with a rotated key would be refused.
    /// </summary>
    public bool TryRenew(string authority)
    {
        var now = time.GetUtcNow();
        if (_renewed.TryGetValue(authority, out var last) && now - last < RenewalInterval) return false;
        _renewed[authority] = now;
        return _managers.TryRemove(authority, out _);
    }

    /// <summary>Reads the authority's discovery document now (an admin registering a provider learns at once if it is wrong).</summary>
    public async Task<OpenIdConnectConfiguration> Discover(string authority, CancellationToken ct)
    {
        _managers.TryRemove(authority, out _);
        return await For(authority).GetConfigurationAsync(ct);
    }
}

/// <summary>
/// Authenticates `Authorization: Bearer &lt;JWT&gt;` issued by an identity provider a tenant registered: signature (the provider's
/// published keys), issuer, audience and lifetime are checked by IdentityModel; the tenant comes from the provider (or, when
/// several tenants accept the token, from `X-Tenant-Id`), the role from the tenant's map of the token's roles or groups.
/// </summary>
public class BearerTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDocumentStore store, OidcConfigurations configurations, IOptions<SignInOptions> signIn)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BearerToken";
    public const string TenantHeader = "X-Tenant-Id";
    private static readonly JsonWebTokenHandler Tokens = new() { MapInboundClaims = false };

    public static bool LooksLikeJwt(string? credential) => credential is not null && credential.StartsWith("eyJ") && credential.Count(c => c == '.') == 2;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ApiKeyAuthentication.PresentedKey(Request);
        if (!LooksLikeJwt(token)) return AuthenticateResult.NoResult();
        if (Issuer(token!) is not { } issuer) return AuthenticateResult.Fail("The bearer token is not a readable JWT.");
        await using var session = store.QuerySession();
        var providers = await Memberships.Providers(session, issuer, Context.RequestAborted);
        if (providers.Count == 0) return AuthenticateResult.Fail($"No tenant accepts tokens of issuer '{issuer}'.");

        var result = await Tokens.ValidateTokenAsync(token, Parameters(providers));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && configurations.TryRenew(providers[0].Authority))
            result = await Tokens.ValidateTokenAsync(token, Parameters(providers));
        if (!result.IsValid) return AuthenticateResult.Fail(result.Exception ?? new SecurityTokenException("The bearer token is not valid."));

        var claims = result.ClaimsIdentity.Claims.ToList();
        var audiences = claims.Where(c => c.Type == "aud").Select(c => c.Value).ToList();
        var memberships = await Memberships.Find(session, issuer, audiences, Memberships.RolesAndGroups(claims), Context.RequestAborted);
        return Choose(memberships, Request.Headers[TenantHeader].ToString()) is { } chosen
            ? AuthenticateResult.Success(new AuthenticationTicket(Actors.Principal(claims, chosen, SchemeName), SchemeName))
            : AuthenticateResult.Fail(memberships.Count > 1 && Request.Headers[TenantHeader].Count == 0
                ? $"Tenants {string.Join(", ", memberships.Select(m => m.Tenant))} accept this token: name one in {TenantHeader}."
                : $"Tenant '{Request.Headers[TenantHeader]}' does not accept this token.");
    }

    /// <summary>401 with the reason in the problem and in `WWW-Authenticate` (RFC 6750), so a client can tell an expired token from a wrong one.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        var reason = failure is null ? null : Reason(failure);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = reason is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{reason.Replace('"', '\'')}\"";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 401, Title = "Unauthorized", Detail = reason ?? "A bearer token is needed." },
        });
    }

    private static string Reason(Exception failure) => failure switch
    {
        SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:u}.",
        SecurityTokenNotYetValidException early => $"The token is not valid before {early.NotBefore:u}.",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience than the identity provider's registration names.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not the identity provider's.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature does not verify with the identity provider's published keys.",
        SecurityTokenException => "The bearer token is not valid.",
        _ => failure.Message,
    };

    private static string? Issuer(string token)
    {
        try { return new JsonWebToken(token).Issuer; }
        catch (ArgumentException) { return null; }
    }

    private static Membership? Choose(IReadOnlyList<Membership> memberships, string requested) =>
        requested.Length > 0 ? memberships.FirstOrDefault(m => m.Tenant == requested) : memberships.Count == 1 ? memberships[0] : null;

    private TokenValidationParameters Parameters(IReadOnlyList<IdentityProvider> providers) => new()
    {
        ConfigurationManager = configurations.For(providers[0].Authority),
        ValidIssuer = providers[0].Issuer,
        ValidAudiences = providers.SelectMany(p => new[] { p.AcceptedAudience, p.ClientId }).Distinct().ToList(),
        ClockSkew = signIn.Value.ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        NameClaimType = "name",
        RoleClaimType = ClaimTypes.Role,
    };
}
