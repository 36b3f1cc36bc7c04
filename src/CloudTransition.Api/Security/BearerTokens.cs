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
    /// <summary>Let the service reach identity providers on loopback or private addresses (AD FS on the internal network); refused otherwise.</summary>
    public bool AllowPrivateNetworks { get; set; }
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>How long a request to a provider (discovery, keys, token) may take, connecting included.</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Each authority's discovery document and signing keys, fetched once and refreshed by IdentityModel (also when a token names a key it has
/// not seen). Every request to a provider (discovery, keys, the sign-in's token endpoint) goes through <see cref="Backchannel"/>, which
/// connects only to safe targets (<see cref="Common.OutboundTargets"/>): a tenant admin cannot make the service fetch from its internal network.
/// </summary>
public sealed class OidcConfigurations(IOptions<SignInOptions> options, TimeProvider time) : IDisposable
{
    public HttpClient Backchannel { get; } = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, UseProxy = false, UseCookies = false, ConnectTimeout = options.Value.ProviderTimeout,
        ConnectCallback = new Common.OutboundTargets(new(options.Value.AllowHttp, options.Value.AllowPrivateNetworks, "SignIn", "authority")).Connect,
    }) { Timeout = options.Value.ProviderTimeout, MaxResponseContentBufferSize = 1024 * 1024 };

    /// <summary>How often a token naming an unknown key may make the service read the provider's keys again.</summary>
    public static readonly TimeSpan RenewalInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _renewed = new();

    public ConfigurationManager<OpenIdConnectConfiguration> For(string authority) =>
        _managers.GetOrAdd(authority, a => new ConfigurationManager<OpenIdConnectConfiguration>(
            DiscoveryUrl(a), new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(Backchannel) { RequireHttps = !options.Value.AllowHttp }));

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

    /// <summary>
    /// OpenID Connect Discovery requires the document's issuer to be the authority it was read from. Without this check a tenant admin
    /// could register a document naming another provider's issuer with keys of their own, and sign tokens other tenants accept.
    /// </summary>
    public static bool IssuerIsAuthority(string issuer, string authority) =>
        string.Equals(issuer.TrimEnd('/'), authority.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public void Dispose() => Backchannel.Dispose();
}

/// <summary>
/// Authenticates `Authorization: Bearer &lt;JWT&gt;` issued by an identity provider a tenant registered: signature (the provider's
/// published keys), issuer, audience and lifetime are checked by IdentityModel; the tenant is the one that registered the provider
/// first, or the one `X-Tenant-Id` names among those that accept the token (a partner's); the role, the tenant's map of its roles or groups.
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
        var requested = Request.Headers[TenantHeader].ToString();
        // Without a header, the first tenant to register the provider: a later registration elsewhere cannot redirect existing callers.
        var chosen = requested.Length > 0 ? memberships.FirstOrDefault(m => m.Tenant == requested) : memberships.FirstOrDefault();
        return chosen is not null
            ? AuthenticateResult.Success(new AuthenticationTicket(Actors.Principal(claims, chosen, SchemeName), SchemeName))
            : AuthenticateResult.Fail(requested.Length > 0 ? $"Tenant '{requested}' does not accept this token." : "No tenant accepts this token's audience.");
    }

    /// <summary>401 with the reason in the problem and in `WWW-Authenticate` (RFC 6750), so a client can tell an expired token from a wrong one.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        var reason = failure is null ? null : Reason(failure);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = reason is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{HeaderSafe(reason)}\"";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 401, Title = "Unauthorized", Detail = reason ?? "A bearer token is needed." },
        });
    }

    /// <summary>A reason may quote the token (its issuer): only printable ASCII goes into a header, or Kestrel refuses to send the answer.</summary>
    private static string HeaderSafe(string reason) => new(reason.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?').ToArray());

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
