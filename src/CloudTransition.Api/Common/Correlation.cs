using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CloudTransition.Api.Common;

/// <summary>The request's correlation id: the caller's `X-Correlation-Id`, else a webhook's delivery id, else the trace id.</summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";

    private static bool Usable(string id) =>
        id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string Id(HttpContext context)
    {
        if (context.Items[Header] is string known) return known;
        var id = new[] { context.Request.Headers[Header].ToString(), context.Request.Headers["webhook-id"].ToString() }.FirstOrDefault(Usable)
                 ?? Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.Headers[Header] = id;
        context.Items[Header] = id;
        return id;
    }
}

/// <summary>The service's meter: the capabilities count what they do on it; Hosting exports it.</summary>
public static class Metrics
{
    public const string MeterName = "CloudTransition";
    public static readonly Meter Meter = new(MeterName);
}
