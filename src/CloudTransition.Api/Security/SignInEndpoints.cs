using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace CloudTransition.Api.Security;

/// <param name="Tenant">The tenant to act in: one of the `tenants` `GET /api/me` lists.</param>
public record SwitchTenant(string? Tenant);

/// <summary>
/// The browser's side of sign-in: `GET /auth/signin?tenant=` starts it at the tenant's identity provider, `POST /auth/tenant`
/// switches tenant (`GET /auth/session` says whether the page has a session) (a partner's person may work for several customers), `POST /auth/signout` ends the session. The two POSTs
/// need the `X-CSRF-Token` that `GET /api/me` gives a signed-in page.
/// </summary>
public static class SignInEndpoints
{
    public static void MapSignIn(this WebApplication app)
    {
        app.MapGet("/auth/signin", SignIn).AllowAnonymous().ExcludeFromDescription();
        // Lets the page learn whether it has a session without provoking a 401 when it has none.
        app.MapGet("/auth/session", (HttpContext http) => new { signedIn = IsSession(http.User) }).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/auth/tenant", Switch).RequireAuthorization(ApiSecurity.Read).ExcludeFromDescription();
        app.MapPost("/auth/signout", (Delegate)SignOut).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> SignIn(HttpContext http, IDocumentStore store, string? tenant, string? provider, string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(tenant)) return Back("Name the organisation (tenant) to sign in to.");
        await using var session = store.QuerySession();
        var providers = await session.Query<IdentityProvider>().Where(p => p.TenantId == tenant).OrderBy(p => p.CreatedAt).ToListAsync();
        var chosen = provider is null ? providers.FirstOrDefault() : providers.FirstOrDefault(p => p.Id == provider);
        if (chosen is null) return Back($"'{tenant}' has no identity provider to sign in with{(provider is null ? "" : $" named '{provider}'")}: use an API key.");
        var properties = new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" };
        properties.Items[SignInSessions.TenantItem] = tenant;
        return Results.Challenge(properties, [SignInSessions.SchemeOf(chosen)]);
    }

    private static async Task<IResult> Switch(HttpContext http, SwitchTenant request, IDocumentStore store)
    {
        if (!IsSession(http.User)) return Results.Problem(statusCode: 400, title: "Not a sign-in", detail: "Only a signed-in page switches tenant; a key or token belongs to one.");
        await using var session = store.QuerySession();
        var memberships = await MembershipsOf(http.User, session, http.RequestAborted);
        if (memberships.FirstOrDefault(m => m.Tenant == request.Tenant && m.Role is not null) is not { } membership)
            return Common.Problem.NotFound($"You have no role in tenant '{request.Tenant}': use one of the tenants GET /api/me lists.");
        await http.SignInAsync(SignInSessions.SessionScheme, SignInSessions.InTenant(http.User, membership));
        return Results.NoContent();
    }

    private static async Task<IResult> SignOut(HttpContext http, IDocumentStore store)
    {
        if (!IsSession(http.User)) return Results.Json(new SignedOut("/"));
        await http.SignOutAsync(SignInSessions.SessionScheme);
        await using var session = store.QuerySession();
        if (await session.LoadAsync<IdentityProvider>(http.User.FindFirstValue(Actors.ProviderClaim)!) is not { } provider) return Results.Json(new SignedOut("/"));
        // The provider's handler answers with its end-session URL (SignInSessions.SigningOut); without one there is nothing more to end.
        try { await http.SignOutAsync(SignInSessions.SchemeOf(provider), new AuthenticationProperties { RedirectUri = "/" }); }
        catch (InvalidOperationException) { return Results.Json(new SignedOut("/")); }
        return Results.Empty;
    }

    public static bool IsSession(ClaimsPrincipal user) => user.Identity?.AuthenticationType == SignInSessions.SessionScheme;

    public static Task<IReadOnlyList<Membership>> MembershipsOf(ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        Memberships.Find(session, user.FindFirstValue(Actors.IssuerClaim) ?? "", user.FindAll(Actors.AudienceClaim).Select(c => c.Value).ToList(), Memberships.RolesAndGroups(user.Claims), ct);

    /// <summary>A path on this site to return to: not `//host` or `/\\host` (another site), and no control character a browser would drop to make one.</summary>
    public static bool IsLocal(string? url) =>
        url is not null && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl);

    private static IResult Back(string error) => Results.Redirect("/?signin-error=" + Uri.EscapeDataString(error));
}

/// <summary>
/// A signed-in page's cookie goes with every request the browser makes, also those another site provokes: its state-changing
/// requests must carry the antiforgery token `GET /api/me` gave the page (`X-CSRF-Token`). Keys and tokens are not sent by browsers on their own.
/// </summary>
public class CrossSiteRequestCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery, IProblemDetailsService problems)
    {
        if (SignInEndpoints.IsSession(context.User) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method) && !await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = 403, Title = "Forbidden", Detail = $"A signed-in page's change must carry the {ApiSecurity.CsrfHeader} header GET /api/me gives it." },
            });
            return;
        }
        await next(context);
    }
}
