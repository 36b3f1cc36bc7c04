using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace CloudTransition.IdentityProvider;

/// <summary>
/// OpenIddict in degraded mode: no store, so the clients, redirect URIs and users of <see cref="IdentityProviderSettings"/> are
/// checked here, in the Validate*Request handlers. Authorization and end session pass through to the endpoints mapped below.
/// </summary>
internal static class IdentityProviderEndpoints
{
    private const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string OpenIddictScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;
    private static readonly string[] StandardScopes = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess];
    private static readonly string[] UserInfoClaims = [Claims.Subject, "oid", "tid", Claims.Name, Claims.PreferredUsername, "roles", "groups"];

    public static void AddIdentityProvider(this IServiceCollection services, IdentityProviderSettings settings, Uri issuer, TimeProvider clock)
    {
        services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, o => o.Cookie.Name = "idp_session");

        services.AddOpenIddict().AddServer(options =>
        {
            options.EnableDegradedMode();
            options.SetIssuer(issuer);
            options.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout")
                .SetUserInfoEndpointUris("connect/userinfo");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                .AllowRefreshTokenFlow().AllowClientCredentialsFlow().AllowPasswordFlow();
            options.DisableScopeValidation(); // any scope, as Entra takes "api://…/.default"
            options.SetAccessTokenLifetime(settings.AccessTokenLifetime).SetIdentityTokenLifetime(settings.IdTokenLifetime);
            options.AddSigningKey(settings.SigningKey).AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
            options.Configure(o => o.TimeProvider = clock);
            options.UseAspNetCore().DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough().EnableEndSessionEndpointPassthrough().EnableUserInfoEndpointPassthrough();

            options.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (Find(settings, context.ClientId) is not { } client)
                    context.Reject(Errors.InvalidClient, $"Unknown client_id '{context.ClientId}'.");
                else if (!client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
                    context.Reject(Errors.UnauthorizedClient, "This client may not use the authorization code flow.");
                else if (!IdentityProviderClient.IsAllowedRedirectUri(context.RedirectUri))
                    context.Reject(Errors.InvalidRequest, "The redirect_uri must be an absolute URI on loopback.");
                return default;
            }));

            options.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                var client = Find(settings, context.Request.ClientId);
                if (client is null || client.ClientSecret != context.Request.ClientSecret)
                    context.Reject(Errors.InvalidClient, "Unknown client_id or wrong client_secret.");
                else if (!client.GrantTypes.Contains(context.Request.GrantType!))
                    context.Reject(Errors.UnauthorizedClient, $"This client may not use the {context.Request.GrantType} grant.");
                return default;
            }));

            options.AddEventHandler<ValidateEndSessionRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId is { } clientId && Find(settings, clientId) is null)
                    context.Reject(Errors.InvalidClient, $"Unknown client_id '{clientId}'.");
                else if (context.PostLogoutRedirectUri is { } uri && !IdentityProviderClient.IsAllowedRedirectUri(uri))
                    context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri must be an absolute URI on loopback.");
                return default;
            }));

            // authorization_code and refresh_token grants sign in again the principal the code or refresh token carries.
            options.AddEventHandler<HandleTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                var request = context.Request;
                if (request.IsPasswordGrantType())
                {
                    var user = settings.Users.FirstOrDefault(u => u.Username == request.Username && u.Password == request.Password);
                    if (user is null) context.Reject(Errors.InvalidGrant, "Wrong username or password.");
                    else context.SignIn(UserPrincipal(user, request, settings));
                }
                else if (request.IsClientCredentialsGrantType())
                    context.SignIn(AppPrincipal(Find(settings, request.ClientId)!, request, settings));
                return default;
            }));
        });
    }

    public static void MapIdentityProvider(this WebApplication app, IdentityProviderSettings settings)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var session = await http.AuthenticateAsync(SessionScheme);
            if (FindUser(settings, session.Principal?.Identity?.Name) is not { } user)
            {
                var back = QueryString.Create(request.GetParameters().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
                return LoginPage("/connect/authorize" + back, error: null);
            }
            return Results.SignIn(UserPrincipal(user, request, settings), authenticationScheme: OpenIddictScheme);
        });

        app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString() is { } url && url.StartsWith("/connect/authorize") ? url : "/";
            var user = settings.Users.FirstOrDefault(u => u.Username == form["username"] && u.Password == form["password"]);
            if (user is null) return LoginPage(returnUrl, "Wrong username or password.");
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Username)], SessionScheme);
            await http.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(returnUrl);
        });

        app.MapMethods("/connect/logout", ["GET", "POST"], async (HttpContext http) =>
        {
            await http.SignOutAsync(SessionScheme);
            return http.GetOpenIddictServerRequest()?.PostLogoutRedirectUri is null
                ? Results.Content("<!doctype html><html><body><h1>You are signed out</h1></body></html>", "text/html")
                : Results.SignOut(authenticationSchemes: [OpenIddictScheme]); // redirects to post_logout_redirect_uri with state
        });

        app.MapMethods("/connect/userinfo", ["GET", "POST"], async (HttpContext http) =>
        {
            var token = await http.AuthenticateAsync(OpenIddictScheme);
            if (token.Principal is not { } principal) return Results.Challenge(authenticationSchemes: [OpenIddictScheme]);
            return Results.Json(principal.Claims.Where(c => UserInfoClaims.Contains(c.Type))
                .GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.Count() == 1 ? (object)g.First().Value : g.Select(c => c.Value)));
        });
    }

    /// <summary>A person's claims, Entra-like: <c>sub</c> = <c>oid</c>, <c>roles</c> and <c>groups</c> one claim per value.</summary>
    private static ClaimsPrincipal UserPrincipal(IdentityProviderUser user, OpenIddictRequest request, IdentityProviderSettings settings)
    {
        var identity = Identity(user.ObjectId, user.ObjectId.ToString(), user.DisplayName, user.Roles, request, settings)
            .SetClaim(Claims.PreferredUsername, user.PreferredUsername)
            .SetClaims("groups", [.. user.Groups]);

        // Entra's scp: the API's delegated scopes without the "api://…/" prefix, access_as_user if none was asked for.
        var apiScopes = request.GetScopes().Except(StandardScopes).Select(s => s[(s.LastIndexOf('/') + 1)..]).ToList();
        identity.SetClaim("scp", apiScopes.Count == 0 ? "access_as_user" : string.Join(' ', apiScopes));

        identity.SetDestinations(c => c.Type is "scp" or "azp"
            ? [Destinations.AccessToken]
            : [Destinations.AccessToken, Destinations.IdentityToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>An application's claims (client credentials): <c>sub</c> = client id, <c>roles</c> = its app roles.</summary>
    private static ClaimsPrincipal AppPrincipal(IdentityProviderClient client, OpenIddictRequest request, IdentityProviderSettings settings)
    {
        var identity = Identity(client.ObjectId, client.ClientId, name: null, client.AppRoles, request, settings);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    private static ClaimsIdentity Identity(Guid objectId, string subject, string? name, IReadOnlyList<string> roles,
        OpenIddictRequest request, IdentityProviderSettings settings)
    {
        var identity = new ClaimsIdentity(OpenIddictScheme, Claims.Name, "roles")
            .SetClaim(Claims.Subject, subject)
            .SetClaim("oid", objectId.ToString())
            .SetClaim("tid", settings.TenantId)
            .SetClaim("azp", request.ClientId)
            .SetClaim(Claims.Name, name)
            .SetClaims("roles", [.. roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(settings.AccessTokenAudience); // becomes the access token's aud
        return identity;
    }

    private static IdentityProviderClient? Find(IdentityProviderSettings settings, string? clientId) =>
        settings.Clients.FirstOrDefault(c => c.ClientId == clientId);

    private static IdentityProviderUser? FindUser(IdentityProviderSettings settings, string? username) =>
        settings.Users.FirstOrDefault(u => u.Username == username);

    private static IResult LoginPage(string returnUrl, string? error) => Results.Content($"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Sign in - test identity provider</title></head>
        <body>
          <h1>Sign in</h1>
          {(error is null ? "" : $"<p role=\"alert\" class=\"error\">{WebUtility.HtmlEncode(error)}</p>")}
          <form method="post" action="/login">
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <label>Username <input name="username" autocomplete="username" autofocus></label>
            <label>Password <input name="password" type="password" autocomplete="current-password"></label>
            <button type="submit">Sign in</button>
          </form>
        </body></html>
        """, "text/html; charset=utf-8");
}
