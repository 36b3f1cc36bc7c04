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

    public static void AddApiSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.RequireAuthenticatedUser())
            .AddPolicy(Write, p => p.RequireRole(nameof(ApiRole.Contributor), nameof(ApiRole.Automation), nameof(ApiRole.Admin)))
            .AddPolicy(Admin, p => p.RequireRole(nameof(ApiRole.Admin)));
        builder.Services.AddHostedService<AdminKeySeeder>();
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
