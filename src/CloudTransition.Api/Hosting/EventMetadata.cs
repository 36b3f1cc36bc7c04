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

    public static string CorrelationId(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var id = supplied.Length is > 0 and <= 100 && supplied.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? supplied
            : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.Headers[Header] = id;
        return id;
    }
}
