using System.Text.Json;
using CloudTransition.Api.Common;
using CloudTransition.Api.Security;
using Marten;
using Marten.Exceptions;
using JasperFx.Events;
using JasperFx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CloudTransition.Api.Webhooks;

public static class ReceiveWebhookEndpoint
{
    public static void Configure(HttpChain chain) =>
        chain.Metadata.Accepts<JsonElement>("application/json").WithMetadata(new BodyIsOneOf(typeof(WebhookEventBody), typeof(WebhookBatchBody)))
            .Produces<DeliveryAccepted>(200)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

    [Tags("Webhooks")]
    [ResponseHeader("200", "Webhook-Replayed", "`true` when this `webhook-id` was delivered before: the answer is the first delivery's, and nothing was appended.")]
    [ResponseHeader("409", "Webhook-Replayed", "`true` when this `webhook-id` was delivered before with a different body.")]
    [AllowAnonymous]
    [NotTenanted]
    [RequestExample("""{"type":"mailbox.moved","transitionId":"0199a2b4-5c1d-7e2f-8a3b-4c5d6e7f8a9b","occurredAt":"2026-10-01T18:30:00Z","data":{"address":"ann@abc.com","status":"completed"}}""")]
    [WolverinePost("/api/webhooks/{tenant}/{source}", OperationId = "receiveWebhook", Summary = "Receive a signed event, or a batch, from automation",
        Description = "Authenticated by its Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of " +
                      "\"{id}.{timestamp}.{raw body}\">`, ±5 minutes), not by an API key. Body: `{type, transitionId, occurredAt?, data}` or `{events: [...]}` " +
                      "(at most 1,000, all or nothing). Each type runs the same command, with the same validation, as its endpoint; a refused batch appends " +
                      "nothing and answers the first refusal's status with every event's refusal in `events`. A transition of another tenant is not found (404). " +
                      "A redelivered `webhook-id` answers 200 with the first answer, appends nothing and says `Webhook-Replayed: true`; " +
                      "the same `webhook-id` with a different body answers 409 (also with `Webhook-Replayed: true`).")]
    public static Task<IResult> Post(string tenant, string source, HttpRequest request, WebhookReceiver receiver) => receiver.Receive(tenant, source, request);
}

/// <summary>Verifies, de-duplicates and runs a delivery (a singleton, so the endpoint needs nothing else injected).</summary>
public class WebhookReceiver(IDocumentStore store, SecretProtector protector, IOptions<JsonOptions> json, IServiceProvider services,
    TimeProvider time, IngestionTurns turns, ILogger<WebhookReceiver> logger)
{
    public async Task<IResult> Receive(string tenant, string source, HttpRequest request)
    {
        var body = await ReadBody(request);
        var (id, timestamp, signatures) = (Header(request, "webhook-id"), Header(request, "webhook-timestamp"), Header(request, "webhook-signature"));
        if (!await Authentic(tenant, source, id, timestamp, signatures, body, time.GetUtcNow())) return Counted("unauthorized", Unauthorized());

        // A redelivery is not looked up first: the record of the first delivery makes a second one fail and roll
        // back as it commits, and only a refused or failed run checks for it. That saves every delivery a query.
        var key = WebhookDelivery.Key(source, id!);
        var bodyHash = WebhookDelivery.HashOf(body);
        // Parsed only once its turn comes: a waiting delivery then holds its bytes, not a tree of JSON nodes that
        // outlives several collections and makes every one of them longer.
        await turns.Take(request.HttpContext.RequestAborted);
        try
        {
            var parsed = DeliveryParser.Parse(body);
            if (parsed.Errors.Count > 0)
                return await FirstAnswer(tenant, key, bodyHash) ?? Counted("rejected", TypedResults.ValidationProblem(parsed.Errors, title: "The delivery is not a valid event or batch."));

            var delivery = new WebhookDelivery { Id = key, ReceivedAt = time.GetUtcNow(), BodyHash = bodyHash };
            var result = await new DeliveryRun(store, tenant, source, id!, Correlation.Id(request.HttpContext), delivery, parsed.Events,
                json.Value.SerializerOptions, services, time, logger).Execute();
            if (result is IStatusCodeHttpResult { StatusCode: 200 }) return Counted("accepted", result);
            return await FirstAnswer(tenant, key, bodyHash) ?? Counted("rejected", result);
        }
        catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrencyException or EventStreamUnexpectedMaxEventIdException
                                      or JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            // Delivered before, or twice at once and the other one committed first: this run rolled back.
            if (await FirstAnswer(tenant, key, bodyHash) is not { } first) throw;
            return first;
        }
        finally
        {
            turns.Give();
        }
    }

    /// <summary>
    /// The answer to an earlier delivery of this id, if one was accepted: its first result, marked as replayed; or,
    /// when this body differs from the first one, 409 (the sender reused an id for other content: a bug it should see).
    /// </summary>
    private async Task<IResult?> FirstAnswer(string tenant, string key, string bodyHash)
    {
        await using var session = store.QuerySession(tenant);
        if (await session.LoadAsync<WebhookDelivery>(key) is not { } first) return null;
        if (first.BodyHash is { } hash && hash != bodyHash)
        {
            logger.LogInformation("Webhook {Delivery} of {Tenant} was delivered again with a different body; refused", key, tenant);
            return Counted("conflicting", new Replayed(TypedResults.Problem(new ProblemDetails
            {
                Status = 409, Title = "Conflict",
                Detail = $"webhook-id '{key[(key.IndexOf('/') + 1)..]}' was already delivered with a different body; the first delivery stands and this one appended nothing. " +
                         "Send new content under a new webhook-id.",
            })));
        }
        logger.LogInformation("Webhook {Delivery} of {Tenant} was delivered again; answering the first result", key, tenant);
        return Counted("duplicate", new Replayed(Results.Text(first.Answer, "application/json", statusCode: 200)));
    }

    /// <summary>An answer to a redelivery, marked so the sender can tell it from a first delivery.</summary>
    private sealed class Replayed(IResult answer) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers["Webhook-Replayed"] = "true";
            return answer.ExecuteAsync(context);
        }
    }

    private static async Task<byte[]> ReadBody(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static string? Header(HttpRequest request, string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Unknown tenant, unknown source and a bad signature look the same from outside.</summary>
    private async Task<bool> Authentic(string tenant, string source, string? id, string? timestamp, string? signatures, byte[] body, DateTimeOffset now)
    {
        if (tenant.Length > 63 || source.Length > 63) return false;
        // Keys come from a short-lived cache; a signature they do not verify is checked once more against the store,
        // so a rotation or a new source takes effect at once.
        var cacheKey = $"{tenant}/{source}";
        if (_keys.TryGetValue(cacheKey, out var cached) && now - cached.LoadedAt < KeyCacheLifetime
            && Signature.Verify(id, timestamp, signatures, body, cached.Keys(now), now)) return true;
        var loaded = await LoadKeys(tenant, source, now);
        if (loaded is null) return false;
        _keys[cacheKey] = loaded;
        return Signature.Verify(id, timestamp, signatures, body, loaded.Keys(now), now);
    }

    private static readonly TimeSpan KeyCacheLifetime = TimeSpan.FromMinutes(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SourceKeys> _keys = new();

    private sealed record SourceKeys(DateTimeOffset LoadedAt, IReadOnlyList<(byte[] Key, DateTimeOffset? ValidUntil)> All)
    {
        public IEnumerable<byte[]> Keys(DateTimeOffset now) => All.Where(k => k.ValidUntil is null || k.ValidUntil > now).Select(k => k.Key);
    }

    private async Task<SourceKeys?> LoadKeys(string tenant, string source, DateTimeOffset now)
    {
        await using var session = store.QuerySession(tenant);
        if (await session.LoadAsync<Tenant>(tenant) is null || await session.LoadAsync<WebhookSource>(source) is not { } registered) return null;
        return new SourceKeys(now, registered.ValidAt(now).Select(s => (protector.KeyOf(s), s.ValidUntil)).ToList());
    }

    private static readonly System.Diagnostics.Metrics.Counter<long> Deliveries = Metrics.Meter.CreateCounter<long>("cloudtransition.webhook.deliveries", "{delivery}",
        "Webhook deliveries by outcome: accepted, duplicate, conflicting (a redelivery with another body), rejected, unauthorized");

    private static IResult Counted(string outcome, IResult result)
    {
        Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        return result;
    }

    private static IResult Unauthorized() => TypedResults.Problem(new ProblemDetails
    {
        Status = 401, Title = "Unauthorized",
        Detail = "The webhook signature could not be verified: check webhook-id, webhook-timestamp (within 5 minutes) and webhook-signature.",
    });
}
