using System.Security.Claims;
using CloudTransition.Api.Webhooks;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CloudTransition.Api.Security;

/// <summary>
/// The dashboard page's sign-in: OpenID Connect (authorization code with PKCE) with the tenant's identity provider, then a
/// server-side session in an HttpOnly cookie; the page never holds a token. Each provider is its own authentication scheme,
/// `oidc:{providerId}:{version}`, made when first used (providers are added at run time), with callback paths that carry its id.
/// The version (when the registration last changed) in the name makes every node read a changed registration again.
/// </summary>
public static class SignInSessions
{
    public const string SessionScheme = "Session";
    public const string SessionCookie = "ct_session";
    public const string SchemePrefix = "oidc:";
    public const string CallbackPrefix = "/signin-oidc/";
    public const string SignedOutPrefix = "/signout-callback-oidc/";
    public const string TenantItem = "tenant";

    public static string SchemeOf(IdentityProvider provider) => $"{SchemePrefix}{provider.Id}:{provider.UpdatedAt.UtcTicks}";

    public static bool TryProviderId(string? scheme, out string providerId)
    {
        providerId = scheme is not null && scheme.StartsWith(SchemePrefix) ? scheme[SchemePrefix.Length..].Split(':')[0] : "";
        return providerId.Length > 0;
    }

    public static AuthenticationBuilder AddSignInSessions(this AuthenticationBuilder authentication, IServiceCollection services)
    {
        services.AddSingleton<IAuthenticationSchemeProvider, SignInSchemes>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ProviderSignInOptions>();
        services.AddSingleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>();
        services.AddHttpContextAccessor();
        return authentication.AddCookie(SessionScheme, o =>
        {
            o.Cookie.Name = SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Not sliding: a person removed from the app role at the provider is not kept signed in by using the page.
            o.SlidingExpiration = false;
            o.Events.OnRedirectToLogin = c => Status(c.Response, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = Revalidate;
        });
    }

    public static void ConfigureLifetime(CookieAuthenticationOptions cookie, SignInOptions signIn) => cookie.ExpireTimeSpan = signIn.SessionLifetime;

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>On every request: the tenant must still accept the person, with the role its map gives now (a provider deleted or a role unmapped ends the session).</summary>
    private static async Task Revalidate(CookieValidatePrincipalContext context)
    {
        var user = context.Principal!;
        var store = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var memberships = await SignInEndpoints.MembershipsOf(user, session, context.HttpContext.RequestAborted);
        var current = memberships.FirstOrDefault(m => m.Tenant == user.Tenant() && m.Role is not null);
        if (current is null)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInSessions))
                .LogInformation("The session of {Actor} ends: tenant {Tenant} gives them no role now (issuer {Issuer}, audiences {Audiences}, roles {Roles}; {Count} memberships)",
                    Actors.Of(user), user.Tenant(), user.FindFirstValue(Actors.IssuerClaim), string.Join(",", user.FindAll(Actors.AudienceClaim).Select(c => c.Value)), string.Join(",", Memberships.RolesAndGroups(user.Claims)), memberships.Count);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionScheme);
        }
        else if (current.Role != Actors.Role(user)) context.ReplacePrincipal(InTenant(user, current));
    }

    /// <summary>The same person, acting in another tenant (or with another role there).</summary>
    public static ClaimsPrincipal InTenant(ClaimsPrincipal user, Membership membership)
    {
        var claims = user.Claims.Where(c => c.Type is not (ApiKeyAuthentication.TenantClaim or Actors.ProviderClaim) && c.Type != ClaimTypes.Role)
            .Select(c => new Claim(c.Type, c.Value)).ToList();
        claims.Add(new Claim(ApiKeyAuthentication.TenantClaim, membership.Tenant));
        claims.Add(new Claim(Actors.ProviderClaim, membership.ProviderId));
        if (membership.Role is { } role) claims.Add(new Claim(ClaimTypes.Role, role.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>After the provider's id token is validated: the person gets the tenant they asked for, if it gives them a role.</summary>
    public static async Task SignedIn(TokenValidatedContext context)
    {
        var claims = context.Principal!.Claims.ToList();
        var store = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var memberships = await Memberships.Find(session, claims.First(c => c.Type == "iss").Value, [context.Options.ClientId!],
            Memberships.RolesAndGroups(claims), context.HttpContext.RequestAborted);
        var wanted = context.Properties!.Items.TryGetValue(TenantItem, out var t) ? t : null;
        var chosen = memberships.FirstOrDefault(m => m.Tenant == wanted && m.Role is not null) ?? memberships.FirstOrDefault(m => m.Role is not null);
        if (chosen is null || (wanted is not null && chosen.Tenant != wanted))
        {
            // Past 200 groups Entra ID sends a reference to Graph instead of the groups claim.
            var overage = claims.Any(c => c.Type is "hasgroups" or "_claim_names") ? " Entra ID sent no groups (you are in too many): map app roles instead." : "";
            context.Fail($"Your account has no role in '{wanted ?? "any tenant"}': ask its admin to map one of your roles or groups.{overage}");
            return;
        }
        var principal = Actors.Principal(claims, chosen, SessionScheme);
        var identity = (ClaimsIdentity)principal.Identity!;
        // Antiforgery tokens are bound to this claim; the role (which may change) stays out of it.
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, $"{identity.FindFirst(Actors.KindClaim)!.Value}:{identity.FindFirst(Actors.IdClaim)!.Value}"));
        context.Principal = principal;
    }

    /// <summary>A failed sign-in goes back to the page with the reason, not to an error page.</summary>
    public static Task Failed(RemoteFailureContext context)
    {
        context.Response.Redirect("/?signin-error=" + Uri.EscapeDataString(context.Failure?.Message ?? "Sign-in failed."));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    /// <summary>Sign-out is a fetch from the page (its CSP allows forms to post only to itself): it answers where to go instead of redirecting.</summary>
    public static async Task SigningOut(RedirectContext context)
    {
        context.HandleResponse();
        var message = context.ProtocolMessage;
        // The handler would add the state after this event; the provider sends it back to the signed-out callback, which then goes to "/".
        message.State = context.Options.StateDataFormat.Protect(context.Properties);
        await context.Response.WriteAsJsonAsync(new SignedOut(string.IsNullOrEmpty(message.IssuerAddress) ? "/" : message.CreateLogoutRequestUrl()));
    }
}

/// <summary>Where the browser goes to end the session at the identity provider too.</summary>
public record SignedOut(string Redirect);

/// <summary>Knows the schemes of providers made at run time: `oidc:{id}`, and on a callback path the one provider it names.</summary>
public sealed class SignInSchemes(IOptions<AuthenticationOptions> options, IHttpContextAccessor http, IDocumentStore store)
    : AuthenticationSchemeProvider(options)
{
    public override async Task<AuthenticationScheme?> GetSchemeAsync(string name) =>
        await base.GetSchemeAsync(name) ?? (SignInSessions.TryProviderId(name, out _) ? Scheme(name) : null);

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var schemes = await base.GetRequestHandlerSchemesAsync();
        var path = http.HttpContext?.Request.Path.Value ?? "";
        var prefix = path.StartsWith(SignInSessions.CallbackPrefix) ? SignInSessions.CallbackPrefix
            : path.StartsWith(SignInSessions.SignedOutPrefix) ? SignInSessions.SignedOutPrefix : null;
        if (prefix is null) return schemes;
        await using var session = store.QuerySession();
        return await session.LoadAsync<IdentityProvider>(path[prefix.Length..]) is { } provider
            ? schemes.Append(Scheme(SignInSessions.SchemeOf(provider)))
            : schemes;
    }

    private static AuthenticationScheme Scheme(string name) => new(name, "Sign in", typeof(OpenIdConnectHandler));
}

/// <summary>The OpenID Connect settings of one provider's scheme, from its stored registration.</summary>
public sealed class ProviderSignInOptions(IDocumentStore store, SecretProtector secrets, OidcConfigurations configurations, IOptions<SignInOptions> signIn)
    : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options) { }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (!SignInSessions.TryProviderId(name, out var id)) return;
        // Options are made once per scheme and cached (and dropped when the provider changes), and this interface is synchronous.
        using var session = store.QuerySession();
        var provider = session.LoadAsync<IdentityProvider>(id).GetAwaiter().GetResult() ?? throw new InvalidOperationException($"No identity provider '{id}'.");
        options.Authority = provider.Authority;
        options.ClientId = provider.ClientId;
        options.ClientSecret = provider.ProtectedClientSecret is { } secret ? secrets.Unprotect(secret) : null;
        options.ConfigurationManager = configurations.For(provider.Authority);
        options.Backchannel = configurations.Backchannel;
        options.RequireHttpsMetadata = !signIn.Value.AllowHttp;
        options.ResponseType = OpenIdConnectResponseType.Code;
        // A top-level GET back to the service carries SameSite=Lax cookies; a cross-site form post would need SameSite=None.
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.MapInboundClaims = false;
        options.SignInScheme = SignInSessions.SessionScheme;
        options.CallbackPath = SignInSessions.CallbackPrefix + id;
        options.SignedOutCallbackPath = SignInSessions.SignedOutPrefix + id;
        options.SignedOutRedirectUri = "/";
        options.TokenValidationParameters.NameClaimType = "name";
        options.TokenValidationParameters.ClockSkew = signIn.Value.ClockSkew;
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
        options.Events.OnTokenValidated = SignInSessions.SignedIn;
        options.Events.OnRemoteFailure = SignInSessions.Failed;
        options.Events.OnRedirectToIdentityProviderForSignOut = SignInSessions.SigningOut;
    }
}
