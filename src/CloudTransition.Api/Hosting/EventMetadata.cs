using CloudTransition.Api.Common;
using CloudTransition.Api.Security;
using Marten;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Stamps every event an endpoint appends with where it came from (the operation and who: the API key, or the signed-in person or application) and a
/// correlation id: the caller's `X-Correlation-Id`, else the request's trace id. Webhooks stamp their own.
/// </summary>
public static class EventMetadata
{
    public static void Before(IDocumentSession session, HttpContext context)
    {
        session.CorrelationId = Correlation.Id(context);
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? context.Request.Path.ToString();
        session.SetHeader("source", $"api:{operation}");
        if (context.User.Identity?.IsAuthenticated != true) return;
        foreach (var (name, value) in Actors.Headers(Actors.Of(context.User))) session.SetHeader(name, value);
    }
}

public class CorrelationScope(RequestDelegate next, ILogger<CorrelationScope> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = Correlation.Id(context) }))
            await next(context);
    }
}
