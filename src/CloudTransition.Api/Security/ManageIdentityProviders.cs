using System.Security.Claims;
using CloudTransition.Api.Common;
using CloudTransition.Api.Webhooks;
using CloudTransition.Contracts;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

/// <param name="Authority">The provider's authority, whose `/.well-known/openid-configuration` is read: for Entra ID `https://login.microsoftonline.com/{directory id}/v2.0`.</param>
/// <param name="ClientId">The application (client) id registered at the provider: the dashboard signs in as it, and API tokens must be meant for it.</param>
/// <param name="ClientSecret">The application's client secret, for the dashboard's sign-in (Entra ID web apps need one); stored encrypted, never shown. On update, absent keeps the stored one.</param>
/// <param name="Audience">The audience API tokens carry when it is not the client id (e.g. `api://cloudtransition`).</param>
/// <param name="Roles">App role values or group ids, each mapped to `viewer`, `contributor`, `automation` or `admin`; a person or application with several gets the highest.</param>
public record RegisterIdentityProvider(string? Authority, string? ClientId, string? ClientSecret, string? Audience, Dictionary<string, ApiRole>? Roles)
{
    public class Validator : AbstractValidator<RegisterIdentityProvider>
    {
        public Validator()
        {
            RuleFor(x => x.Authority).NotEmpty().MaximumLength(500)
                .Must(a => Uri.TryCreate(a, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" && u.Query.Length == 0 && u.Fragment.Length == 0 && u.UserInfo.Length == 0)
                .WithMessage("authority must be an absolute https URL without query or fragment, e.g. https://login.microsoftonline.com/{directory id}/v2.0.");
            RuleFor(x => x.ClientId).NotEmpty().MaximumLength(200);
            RuleFor(x => x.ClientSecret).MaximumLength(1000);
            RuleFor(x => x.Audience).MaximumLength(500);
            RuleFor(x => x.Roles).NotEmpty().WithMessage("roles must map at least one app role or group to a role.")
                .Must(r => r!.Count <= 200).WithMessage("roles may map at most 200 app roles or groups.")
                .Must(r => r!.Keys.All(k => k.Trim().Length is > 0 and <= 200)).WithMessage("Each app role or group must be 1 to 200 characters.");
        }
    }
}

/// <summary>A registered identity provider. Register `redirectUri` (and `signedOutUri`) with the application at the provider.</summary>
/// <param name="Id">The registration's id (`idp_…`).</param>
/// <param name="Tenant">The tenant whose people it signs in.</param>
/// <param name="Authority">The authority as registered.</param>
/// <param name="Issuer">The issuer its discovery document names: what tokens carry in `iss`.</param>
/// <param name="ClientId">The application (client) id.</param>
/// <param name="Audience">The audience API tokens carry when it is not the client id.</param>
/// <param name="HasClientSecret">Whether a client secret is stored (it is never shown).</param>
/// <param name="Roles">App role values or group ids and the role each gives.</param>
/// <param name="RedirectUri">The redirect URI to register with the application (platform "Web").</param>
/// <param name="SignedOutUri">The front-channel sign-out URL to register.</param>
/// <param name="SignInUrl">Where the dashboard page sends people to sign in with this provider.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public record IdentityProviderView(string Id, string Tenant, string Authority, string Issuer, string ClientId, string? Audience, bool HasClientSecret,
    IReadOnlyDictionary<string, ApiRole> Roles, string RedirectUri, string SignedOutUri, string SignInUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static IdentityProviderView Of(IdentityProvider p, HttpRequest request)
    {
        var origin = $"{request.Scheme}://{request.Host}";
        return new IdentityProviderView(p.Id, p.TenantId, p.Authority, p.Issuer, p.ClientId, p.Audience, p.ProtectedClientSecret is not null, p.Roles,
            origin + SignInSessions.CallbackPrefix + p.Id, origin + SignInSessions.SignedOutPrefix + p.Id,
            $"{origin}/auth/signin?tenant={Uri.EscapeDataString(p.TenantId)}&provider={p.Id}", p.CreatedAt, p.UpdatedAt);
    }
}

public static class ManageIdentityProvidersEndpoints
{
    private const string Description = " Platform admins for any tenant, a tenant's admins for their own (other tenants answer 404).";

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [RequestExample("""{"authority":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","clientId":"6731de76-14a6-49ae-97bc-6eba6914391e","clientSecret":"…","roles":{"CloudTransition.Admin":"admin","CloudTransition.Viewer":"viewer"}}""")]
    [WolverinePost("/api/tenants/{id}/identity-providers", OperationId = "registerIdentityProvider", Summary = "Let a tenant's people sign in with an identity provider",
        Description = "The authority's discovery document is read at once (400 naming `authority` if it cannot be); its people then sign in to the dashboard, " +
                      "and its tokens (`Authorization: Bearer`) are accepted on the API, with the role `roles` maps their app roles or groups to. 409 when the tenant " +
                      "already has this authority and client id." + Description)]
    public static async Task<Results<Created<IdentityProviderView>, ProblemHttpResult>> Post(string id, RegisterIdentityProvider r, ClaimsPrincipal user,
        IDocumentSession session, OidcConfigurations configurations, SecretProtector secrets, IOptions<SignInOptions> options, HttpRequest http, TimeProvider time, CancellationToken ct)
    {
        if (await TenantRefusal(id, user, session) is { } refusal) return refusal;
        var (issuer, problem) = await Discover(r.Authority!, configurations, options.Value, ct);
        if (problem is not null) return problem;
        if (await Duplicate(session, id, null, issuer, r.ClientId!, ct) is { } duplicate) return duplicate;
        var now = time.GetUtcNow();
        var provider = new IdentityProvider { Id = IdentityProvider.NewId(), TenantId = id, CreatedAt = now };
        Apply(provider, r, issuer, secrets, now);
        session.Store(provider);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/tenants/{id}/identity-providers/{provider.Id}", IdentityProviderView.Of(provider, http));
    }

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineGet("/api/tenants/{id}/identity-providers", OperationId = "listIdentityProviders", Summary = "List a tenant's identity providers", Description = Description)]
    public static async Task<Results<Ok<IReadOnlyList<IdentityProviderView>>, ProblemHttpResult>> List(string id, ClaimsPrincipal user, IQuerySession session, HttpRequest http)
    {
        if (await TenantRefusal(id, user, session) is { } refusal) return refusal;
        var providers = await session.Query<IdentityProvider>().Where(p => p.TenantId == id).OrderBy(p => p.CreatedAt).ToListAsync();
        return TypedResults.Ok<IReadOnlyList<IdentityProviderView>>(providers.Select(p => IdentityProviderView.Of(p, http)).ToList());
    }

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineGet("/api/tenants/{id}/identity-providers/{providerId}", OperationId = "getIdentityProvider", Summary = "Read an identity provider", Description = Description)]
    public static async Task<Results<Ok<IdentityProviderView>, ProblemHttpResult>> Get(string id, string providerId, ClaimsPrincipal user, IQuerySession session, HttpRequest http)
    {
        if (await TenantRefusal(id, user, session) is { } refusal) return refusal;
        return await Find(session, id, providerId) is { } provider ? TypedResults.Ok(IdentityProviderView.Of(provider, http)) : NotFound(id, providerId);
    }

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [RequestExample("""{"authority":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","clientId":"6731de76-14a6-49ae-97bc-6eba6914391e","roles":{"CloudTransition.Admin":"admin","CloudTransition.Contributor":"contributor"}}""")]
    [WolverinePut("/api/tenants/{id}/identity-providers/{providerId}", OperationId = "updateIdentityProvider", Summary = "Change an identity provider",
        Description = "Replaces the registration (an absent `clientSecret` keeps the stored one). Signed-in people get their new role with their next request; " +
                      "those it no longer gives one are signed out." + Description)]
    public static async Task<Results<Ok<IdentityProviderView>, ProblemHttpResult>> Put(string id, string providerId, RegisterIdentityProvider r, ClaimsPrincipal user,
        IDocumentSession session, OidcConfigurations configurations, SecretProtector secrets, IOptions<SignInOptions> options,
        HttpRequest http, TimeProvider time, CancellationToken ct)
    {
        if (await TenantRefusal(id, user, session) is { } refusal) return refusal;
        if (await Find(session, id, providerId) is not { } provider) return NotFound(id, providerId);
        var (issuer, problem) = await Discover(r.Authority!, configurations, options.Value, ct);
        if (problem is not null) return problem;
        if (await Duplicate(session, id, providerId, issuer, r.ClientId!, ct) is { } duplicate) return duplicate;
        Apply(provider, r, issuer, secrets, time.GetUtcNow());
        session.Store(provider);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(IdentityProviderView.Of(provider, http));
    }

    [Tags("Security")]
    [Authorize(Policy = ApiSecurity.Admin)]
    [WolverineDelete("/api/tenants/{id}/identity-providers/{providerId}", OperationId = "deleteIdentityProvider", Summary = "Stop accepting an identity provider",
        Description = "Its tokens stop working and its signed-in people are signed out with their next request." + Description)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, string providerId, ClaimsPrincipal user, IDocumentSession session)
    {
        if (await TenantRefusal(id, user, session) is { } refusal) return refusal;
        if (await Find(session, id, providerId) is null) return NotFound(id, providerId);
        session.Delete<IdentityProvider>(providerId);
        await session.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    private static void Apply(IdentityProvider provider, RegisterIdentityProvider r, string issuer, SecretProtector secrets, DateTimeOffset now)
    {
        provider.Authority = r.Authority!.TrimEnd('/');
        provider.Issuer = issuer;
        provider.ClientId = r.ClientId!.Trim();
        provider.Audience = string.IsNullOrWhiteSpace(r.Audience) ? null : r.Audience.Trim();
        if (!string.IsNullOrEmpty(r.ClientSecret)) provider.ProtectedClientSecret = secrets.Protect(r.ClientSecret);
        provider.Roles = r.Roles!.ToDictionary(kv => kv.Key.Trim(), kv => kv.Value);
        provider.UpdatedAt = now;
    }

    /// <summary>The issuer the authority's discovery document names, or why it cannot be used.</summary>
    private static async Task<(string Issuer, ProblemHttpResult? Problem)> Discover(string authority, OidcConfigurations configurations, SignInOptions options, CancellationToken ct)
    {
        if (authority.StartsWith("http:") && !options.AllowHttp)
            return ("", Problem.Invalid("authority", "authority must use https (the operator may allow http with SignIn__AllowHttp=true)."));
        try
        {
            var configuration = await configurations.Discover(authority.TrimEnd('/'), ct);
            if (!string.IsNullOrEmpty(configuration.Issuer) && !OidcConfigurations.IssuerIsAuthority(configuration.Issuer, authority))
                return ("", Problem.Invalid("authority", $"The discovery document names the issuer '{configuration.Issuer}', not the authority it was read from. " +
                    "For Entra ID use the directory's own authority, https://login.microsoftonline.com/{directory (tenant) id}/v2.0 (not /common or /organizations)."));
            if (!string.IsNullOrEmpty(configuration.Issuer) && configuration.SigningKeys.Count > 0) return (configuration.Issuer, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (Refusal(e) is { } refused) return ("", Problem.Invalid("authority", refused.Message));
            return ("", Unreadable(authority, Cause(e, configurations.Backchannel.Timeout)));
        }
        return ("", Unreadable(authority, null));
    }

    private static ProblemHttpResult Unreadable(string authority, string? cause) => Problem.Invalid("authority",
        $"Could not read an OpenID Connect discovery document with signing keys at {OidcConfigurations.DiscoveryUrl(authority)}" + (cause is null ? "." : $": {cause}"));

    /// <summary>What went wrong underneath IdentityModel's wrapping (whose own messages hide the URL and the answer), when it says something.</summary>
    private static string? Cause(Exception e, TimeSpan timeout)
    {
        var innermost = e;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost switch
        {
            TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.OperationAborted }
                => $"no answer within {timeout.TotalSeconds:0} s.",
            HttpRequestException or System.Net.Sockets.SocketException => innermost.Message.TrimEnd('.') + ".",
            _ => null,
        };
    }

    /// <summary>409 when another of the tenant's registrations already accepts this client of this issuer.</summary>
    private static async Task<ProblemHttpResult?> Duplicate(IQuerySession session, string tenant, string? except, string issuer, string clientId, CancellationToken ct) =>
        await session.Query<IdentityProvider>().AnyAsync(p => p.TenantId == tenant && p.Id != except && p.Issuer == issuer && p.ClientId == clientId, ct)
            ? Problem.Conflict($"Tenant '{tenant}' already accepts client '{clientId}' of '{issuer}'.")
            : null;

    private static TargetRefusedException? Refusal(Exception? e) =>
        e is null ? null : e as TargetRefusedException ?? Refusal(e.InnerException);

    private static async Task<ProblemHttpResult?> TenantRefusal(string tenant, ClaimsPrincipal user, IQuerySession session) =>
        (tenant == user.Tenant() || user.IsPlatformAdmin()) && await session.LoadAsync<Tenant>(tenant) is not null
            ? null
            : Problem.NotFound($"No tenant '{tenant}'.");

    private static async Task<IdentityProvider?> Find(IQuerySession session, string tenant, string providerId) =>
        await session.LoadAsync<IdentityProvider>(providerId) is { } p && p.TenantId == tenant ? p : null;

    private static ProblemHttpResult NotFound(string tenant, string providerId) => Problem.NotFound($"Tenant '{tenant}' has no identity provider '{providerId}'.");
}
