using System.Security.Cryptography;
using CloudTransition.Api.Security;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CloudTransition.Api.Hosting;

public enum IdempotencyState { InFlight, Completed }

/// <summary>The first answer to a request made with an Idempotency-Key, kept for <see cref="IdempotencyKeys.Retention"/>.</summary>
public class IdempotencyRecord
{
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public IdempotencyState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[] Body { get; set; } = [];
}

/// <summary>
/// `Idempotency-Key` on POSTs under /api (IETF httpapi draft): the first answer (status and body) is replayed for the
/// same key and body; the same key with another body is 422; a retry while the first is still running is 409.
/// Keys are scoped to the API key that used them. 5xx answers are not kept, so a retry runs again.
/// </summary>
public class IdempotencyKeys(RequestDelegate next, IDocumentStore store, TimeProvider time, IProblemDetailsService problems)
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(48);
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[Header].ToString();
        if (key.Length == 0 || !HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api")
            || context.Request.Path.StartsWithSegments("/api/webhooks") || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        if (key.Length > 255 || key.Any(c => c < 0x20 || c > 0x7e))
        {
            await Refuse(context, 400, "Idempotency-Key must be 1 to 255 printable ASCII characters.");
            return;
        }

        var id = $"{Actors.CallerId(context.User)}:{key}";
        var hash = await RequestHash(context.Request);
        var now = time.GetUtcNow();
        var claimed = await Claim(id, hash, now);
        if (claimed is { } existing)
        {
            await Answer(context, existing, hash);
            return;
        }
        await Run(context, id);
    }

    /// <summary>Claims the key; answers the record that already holds it, or null when this request now owns it.</summary>
    private async Task<IdempotencyRecord?> Claim(string id, string hash, DateTimeOffset now)
    {
        var record = new IdempotencyRecord { Id = id, RequestHash = hash, State = IdempotencyState.InFlight, CreatedAt = now, ExpiresAt = now + Retention };
        try
        {
            await using var session = store.LightweightSession();
            session.Insert(record);
            await session.SaveChangesAsync();
            return null;
        }
        catch (DocumentAlreadyExistsException)
        {
            await using var session = store.LightweightSession();
            var existing = await session.LoadAsync<IdempotencyRecord>(id);
            var stale = existing is null || existing.ExpiresAt < now || (existing.State == IdempotencyState.InFlight && now - existing.CreatedAt > Abandoned);
            if (!stale) return existing;
            session.Store(record);
            await session.SaveChangesAsync();
            return null;
        }
    }

    private async Task Run(HttpContext context, string id)
    {
        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        catch
        {
            await Forget(id);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        captured.Position = 0;
        await captured.CopyToAsync(original);
        if (context.Response.StatusCode >= 500) await Forget(id);
        else await Complete(id, context.Response, captured.ToArray());
    }

    private async Task Complete(string id, HttpResponse response, byte[] body)
    {
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<IdempotencyRecord>(id);
        if (record is null) return;
        (record.State, record.Status, record.ContentType, record.Location, record.Body) =
            (IdempotencyState.Completed, response.StatusCode, response.ContentType, response.Headers.Location.ToString(), body);
        session.Store(record);
        await session.SaveChangesAsync();
    }

    private async Task Forget(string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotencyRecord>(id);
        await session.SaveChangesAsync();
    }

    private async Task Answer(HttpContext context, IdempotencyRecord existing, string hash)
    {
        if (existing.RequestHash != hash)
        {
            await Refuse(context, 422, "This Idempotency-Key was already used with a different request.");
            return;
        }
        if (existing.State == IdempotencyState.InFlight)
        {
            context.Response.Headers.RetryAfter = "1";
            await Refuse(context, 409, "A request with this Idempotency-Key is still being processed; retry shortly.");
            return;
        }
        context.Response.StatusCode = existing.Status;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (!string.IsNullOrEmpty(existing.ContentType)) context.Response.ContentType = existing.ContentType;
        if (!string.IsNullOrEmpty(existing.Location)) context.Response.Headers.Location = existing.Location;
        // An answer kept without a body (a refusal the status-code pages fill in outside this middleware) is replayed
        // without one too, so they fill it in again; writing zero bytes would start the response and leave it bare.
        if (existing.Body.Length > 0) await context.Response.Body.WriteAsync(existing.Body);
    }

    private static async Task<string> RequestHash(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString} {request.ContentType}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private Task Refuse(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context, ProblemDetails = new ProblemDetails { Status = status, Title = "Idempotency-Key", Detail = detail },
        }).AsTask();
    }
}

public static class IdempotencyDocuments
{
    /// <summary>Keyed by the key's id and the client's Idempotency-Key, so a record is looked up before any tenant session exists.</summary>
    public static void AddIdempotencyDocuments(this Marten.StoreOptions opts) => opts.Schema.For<IdempotencyRecord>().SingleTenanted();
}
