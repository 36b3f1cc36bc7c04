using Microsoft.AspNetCore.Mvc;

namespace CloudTransition.Api.Hosting;

/// <summary>
/// Refuses oversized bodies (413), bodies in a media type the API does not read (415) and, on /api, an `Accept` that
/// JSON does not satisfy (406) before any endpoint runs.
/// </summary>
public class RequestGuards(RequestDelegate next, IProblemDetailsService problems)
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var log = RelayDiscovery.RelayLogBody.Is(context);
        var limit = log ? RelayDiscovery.RelayLogBody.MaxWireBytes : MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            await Refuse(context, 413, "Payload too large", $"The body has {request.ContentLength} bytes; at most {limit} are accepted.");
            return;
        }
        // A log's media type is the endpoint's to check, after authentication.
        if (log) RelayDiscovery.RelayLogBody.AllowLarge(context);
        else if (HasBody(request) && !IsReadable(request.ContentType))
        {
            await Refuse(context, 415, "Unsupported media type",
                $"Content-Type '{request.ContentType}' is not accepted: send application/json (or text/csv to import mailboxes).");
            return;
        }
        var metadata = context.GetEndpoint()?.Metadata;
        var (csv, pdf) = (metadata?.GetMetadata<Common.CsvExport>() is not null, metadata?.GetMetadata<Reports.PdfReport>() is not null);
        if (request.Path.StartsWithSegments("/api") && !(pdf ? Accepts(request.Headers.Accept, "application/pdf") : AcceptsJson(request.Headers.Accept) || csv && Accepts(request.Headers.Accept, "text/csv")))
        {
            await Refuse(context, 406, "Not acceptable",
                $"Accept '{request.Headers.Accept}' allows no answer this API gives here: {(pdf ? "a PDF report (application/pdf)" : $"application/json{(csv ? " or text/csv" : "")}")} (problems application/problem+json).");
            return;
        }
        await next(context);
    }

    /// <summary>Whether the client takes JSON: no Accept, an unreadable one (ignored, as RFC 9110 allows), or a range that covers JSON with q above 0.</summary>
    private static bool AcceptsJson(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (accept.Count == 0 || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParseList(accept, out var ranges)) return true;
        return ranges.Any(r => r.Quality is null or > 0 && (r.MatchesAllTypes || r.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
            || r.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || r.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || r.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Whether the client takes this media type: no Accept, an unreadable one, or a range that covers it with q above 0.</summary>
    private static bool Accepts(Microsoft.Extensions.Primitives.StringValues accept, string mediaType)
    {
        if (accept.Count == 0 || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParseList(accept, out var ranges)) return true;
        var wanted = new Microsoft.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return ranges.Any(r => r.Quality is null or > 0 && wanted.IsSubsetOf(r));
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsReadable(string? contentType)
    {
        if (contentType is null) return false;
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType is "application/json" or "text/json" or "text/csv" || mediaType.EndsWith("+json");
    }

    private async Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        // The problem writer honours Accept, which a 406 is about: then the problem is written as JSON anyway.
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
