using System.Text.Json;
using System.Text.Json.Serialization;
using CloudTransition.Api.Security;
using FluentValidation;
using Wolverine.Http;

namespace CloudTransition.Api.Hosting;

public static class HttpApi
{
    public static void AddHttpApi(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestGuards.MaxBodyBytes);

        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = QueryValueProblems.Customize);
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        builder.Services.AddWolverineHttp();
        builder.Services.AddSingleton<Common.Cursors>();
        builder.Services.AddHealth();
        builder.Services.AddApiDocs();
    }

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.MaxDepth = 32;
        // {"address": "a", "address": "b"} is refused, not read as "b": a client never has a field silently replaced.
        o.AllowDuplicateProperties = false;
        // {"occuredAt": ...} (a typo) is refused naming the field, not ignored with the event recorded at now.
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    public static void UseHttpApi(this WebApplication app)
    {
        app.UseMiddleware<CorrelationScope>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestGuards>();
        app.UseDashboardPage();
        app.UseApiDocs();
        app.UseAuthentication();
        app.UseMiddleware<CrossSiteRequestCheck>();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyKeys>();
        app.UseMiddleware<JsonBodyCheck>();
    }

    public static void MapHttpApi(this WebApplication app)
    {
        app.MapHealth();
        app.MapDashboardPage();
        app.MapSignIn();
        app.MapWolverineEndpoints(opts =>
        {
            opts.RejectUnparseableQueryValues = true;
            opts.AddPolicy<JsonBodyPolicy>();
            opts.AddPolicy<FluentValidationHttpPolicy>();
            opts.AddPolicy<RoleAuthorizationPolicy>();
            opts.TenantId.IsClaimTypeNamed(ApiKeyAuthentication.TenantClaim);
            opts.AddMiddleware(typeof(EventMetadata),
                chain => chain.HttpMethods.Any(m => m != "GET") && chain.RoutePattern?.RawText?.StartsWith("/api/webhooks") != true);
        });
    }
}
