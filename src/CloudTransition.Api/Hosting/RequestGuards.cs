using Microsoft.AspNetCore.Mvc;

namespace CloudTransition.Api.Hosting;

/// <summary>Refuses oversized bodies (413) and bodies in a media type the API does not read (415) before any endpoint runs.</summary>
public class RequestGuards(RequestDelegate next, IProblemDetailsService problems)
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await Refuse(context, 413, "Payload too large", $"The body has {request.ContentLength} bytes; at most {MaxBodyBytes} are accepted.");
            return;
        }
        if (HasBody(request) && !IsReadable(request.ContentType))
        {
            await Refuse(context, 415, "Unsupported media type",
                $"Content-Type '{request.ContentType}' is not accepted: send application/json (or text/csv to import mailboxes).");
            return;
        }
        await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsReadable(string? contentType)
    {
        if (contentType is null) return false;
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType is "application/json" or "text/json" or "text/csv" || mediaType.EndsWith("+json");
    }

    private Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
