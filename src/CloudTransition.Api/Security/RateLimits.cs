using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CloudTransition.Api.Security;

/// <summary>
/// A token bucket per API key (per client address for unauthenticated calls) on /api: `RateLimit:PermitsPerSecond`
/// (default 200) with bursts up to `RateLimit:Burst` (default 400); 0 switches it off. Over the limit: 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        var permits = builder.Configuration.GetValue("RateLimit:PermitsPerSecond", 200);
        var burst = builder.Configuration.GetValue("RateLimit:Burst", 400);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = Reject;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (permits <= 0 || !context.Request.Path.StartsWithSegments("/api")) return RateLimitPartition.GetNoLimiter("unlimited");
                var caller = context.User.Identity?.IsAuthenticated == true ? Actors.CallerId(context.User) : $"ip:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(burst, permits), TokensPerPeriod = permits, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                });
            });
        });
    }

    private static async ValueTask Reject(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString();
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = 429, Title = "Too many requests", Detail = "This key sent more requests than its rate limit allows; retry after the Retry-After seconds." },
        });
    }
}
