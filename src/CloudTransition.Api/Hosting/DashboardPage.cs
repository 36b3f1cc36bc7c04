namespace CloudTransition.Api.Hosting;

/// <summary>The project managers' page: static files from wwwroot at / and /dashboard, with a strict CSP.</summary>
public static class DashboardPage
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void UseDashboardPage(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // Swagger UI ships inline scripts; everything else, the page included, gets the strict policy.
            if (!context.Request.Path.StartsWithSegments("/swagger"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
            }
            await next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
    }

    public static void MapDashboardPage(this WebApplication app) =>
        app.MapGet("/dashboard", (IWebHostEnvironment env) => Results.File(Path.Combine(env.WebRootPath, "index.html"), "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
}
