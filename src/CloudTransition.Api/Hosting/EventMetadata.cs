using System.Diagnostics;
using CloudTransition.Api.Security;
using Marten;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Stamps every event an endpoint appends with where it came from (the operation and the API key) and a
/// correlation id: the caller's `X-Correlation-Id`, else the request's trace id. Webhooks stamp their own.
/// </summary>
public static class EventMetadata
{
    public const string Header = "X-Correlation-Id";

    public static void Before(IDocumentSession session, HttpContext context)
    {
        session.CorrelationId = CorrelationId(context);
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? context.Request.Path.ToString();
        session.SetHeader("source", $"api:{operation}");
        if (context.User.Identity?.IsAuthenticated == true) session.SetHeader("key", context.User.KeyId());
    }

    private static bool Usable(string id) =>
        id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string CorrelationId(HttpContext context)
    {
        if (context.Items[Header] is string known) return known;
        // The caller's X-Correlation-Id, else a webhook's delivery id, else the trace id.
        var id = new[] { context.Request.Headers[Header].ToString(), context.Request.Headers["webhook-id"].ToString() }.FirstOrDefault(Usable)
                 ?? Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.Headers[Header] = id;
        context.Items[Header] = id;
        return id;
    }
}

/// <summary>Every log line written while a request runs carries its correlation id (the one its events carry).</summary>
public class CorrelationScope(RequestDelegate next, ILogger<CorrelationScope> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = EventMetadata.CorrelationId(context) }))
            await next(context);
    }
}
