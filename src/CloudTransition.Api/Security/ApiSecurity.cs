using CloudTransition.Contracts;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace CloudTransition.Api.Security;

public static class ApiSecurity
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
    public const string CallerScheme = "Caller";
    public const string CsrfHeader = "X-CSRF-Token";

    public static void AddApiSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<SignInOptions>(builder.Configuration.GetSection("SignIn"));
        services.AddHttpClient(nameof(OidcConfigurations));
        services.AddSingleton<OidcConfigurations>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "ct_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthentication(CallerScheme)
            .AddPolicyScheme(CallerScheme, "API key, bearer token or signed-in session", o => o.ForwardDefaultSelector = SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthentication>(BearerTokenAuthentication.SchemeName, null)
            .AddSignInSessions(services);
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(SignInSessions.SessionScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<SignInOptions>>((cookie, signIn) => SignInSessions.ConfigureLifetime(cookie, signIn.Value));
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.RequireRole(Enum.GetNames<ApiRole>()))
            .AddPolicy(Write, p => p.RequireRole(nameof(ApiRole.Contributor), nameof(ApiRole.Automation), nameof(ApiRole.Admin)))
            .AddPolicy(Admin, p => p.RequireRole(nameof(ApiRole.Admin)));
        services.AddHostedService<AdminKeySeeder>();
    }

    /// <summary>A JWT goes to the bearer-token scheme, any other credential to the key scheme; a request without one, to the session cookie if it has one.</summary>
    private static string SchemeFor(HttpContext context)
    {
        var credential = ApiKeyAuthentication.PresentedKey(context.Request);
        if (BearerTokenAuthentication.LooksLikeJwt(credential)) return BearerTokenAuthentication.SchemeName;
        return credential is null && context.Request.Cookies.ContainsKey(SignInSessions.SessionCookie) ? SignInSessions.SessionScheme : ApiKeyAuthentication.SchemeName;
    }
}

/// <summary>Every endpoint needs a key: GETs any role, other verbs a role that may record; [Authorize] on an endpoint overrides.</summary>
public class RoleAuthorizationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var attributes = chain.Method.Method.GetCustomAttributes(true);
            if (attributes.Any(a => a is IAuthorizeData or IAllowAnonymous)) continue;
            chain.Metadata.RequireAuthorization(chain.HttpMethods.All(m => m == "GET") ? ApiSecurity.Read : ApiSecurity.Write);
        }
    }
}
