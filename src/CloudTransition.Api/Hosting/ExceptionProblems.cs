using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CloudTransition.Api.Hosting;

/// <summary>The one place that turns exceptions into RFC 9457 answers; no stack trace leaves the server.</summary>
public class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Describe(exception);
        if (problem.Status >= 500) logger.LogError(exception, "Request failed: {Title}", problem.Title);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Whether the store could not be reached, whichever library wrapped the cause.</summary>
    private static bool StoreUnreachable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            // PostgreSQL answered: unreachable only when it says so (connection, resources, shutting down), not for a bad value.
            if (e is PostgresException answered) return answered.SqlState[..2] is "08" or "53" or "57";
            if (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException) return true;
        }
        return false;
    }

    public static ProblemDetails Describe(Exception exception) => exception switch
    {
        _ when ExpectedConflicts.Is(exception) => new()
        {
            Status = 409, Title = "Conflict",
            Detail = "Someone else changed this item at the same time, or the expected version is stale. Read it again and retry.",
        },
        BadHttpRequestException { StatusCode: 413 } => new() { Status = 413, Title = "Payload too large", Detail = $"The body is larger than {RequestGuards.MaxBodyBytes} bytes." },
        BadHttpRequestException bad => new() { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
        JsonException => new() { Status = 400, Title = "Invalid JSON", Detail = "The body is not valid JSON for this request." },
        _ when StoreUnreachable(exception) => new()
        {
            Status = 503, Title = "Service unavailable", Detail = "The event store cannot be reached right now. Retry shortly.",
        },
        _ => new() { Status = 500, Title = "Unexpected error", Detail = "The server failed to answer; the failure is logged." },
    };
}
