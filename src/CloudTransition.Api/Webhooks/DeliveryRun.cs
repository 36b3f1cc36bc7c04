using System.Text.Json;
using CloudTransition.Api.Hosting;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CloudTransition.Api.Webhooks;

/// <summary>
/// Runs every event of a delivery in one PostgreSQL transaction: the delivery is claimed first (a concurrent
/// redelivery waits on it, then finds it), each event runs its command and is flushed so the next one sees it,
/// and everything commits together, or nothing does.
/// </summary>
public class DeliveryRun(IDocumentStore store, string tenant, string source, string webhookId, string correlationId, WebhookDelivery delivery,
    IReadOnlyList<WebhookEnvelope> events, JsonSerializerOptions json, IServiceProvider services, TimeProvider time, ILogger logger)
{
    public async Task<IResult> Execute()
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await Save(transaction, session => session.Insert(delivery));
        var appended = new List<Appended>();
        var refusals = new List<EventRefusal>();
        var errors = new Dictionary<string, string[]>();
        foreach (var (envelope, index) in events.Select((e, i) => (e, i)))
        {
            await using var session = Session(transaction);
            var outcome = Unwrap(await WebhookTypes.All[envelope.Type](new WebhookCall(session, services, json, time, envelope.TransitionId, envelope.Data)));
            if (outcome is { Status: >= 400 } refused)
            {
                refusals.Add(new EventRefusal(index, envelope.Type, refused.Status, refused.Problem?.Detail));
                foreach (var (field, messages) in refused.Problem is HttpValidationProblemDetails v ? v.Errors : new Dictionary<string, string[]>())
                    errors[events.Count > 1 ? $"events[{index}].data.{field}" : $"data.{field}"] = messages;
                continue;
            }
            if (refusals.Count > 0) continue;
            var streams = session.PendingChanges.Streams().ToList();
            await session.SaveChangesAsync();
            appended.AddRange(streams.SelectMany(s => s.Events.Select(e => new Appended(index, envelope.Type, s.Key!, e.Version))));
        }

        if (refusals.Count > 0)
        {
            await transaction.RollbackAsync();
            return Refused(refusals, errors);
        }
        var accepted = new DeliveryAccepted(webhookId, events.Count, appended);
        delivery.Answer = JsonSerializer.Serialize(accepted, json);
        await Save(transaction, session => session.Store(delivery));
        await transaction.CommitAsync();
        logger.LogInformation("Webhook delivery {DeliveryId} from {Source} of {Tenant} appended {Count} events", webhookId, source, tenant, appended.Count);
        return TypedResults.Ok(accepted);
    }

    /// <summary>A session of the delivery's tenant on the shared transaction: SaveChanges flushes, only Execute commits.</summary>
    private IDocumentSession Session(NpgsqlTransaction transaction)
    {
        var options = Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false);
        options.TenantId = tenant;
        var session = store.LightweightSession(options);
        session.CorrelationId = correlationId;
        session.SetHeader("source", $"webhook:{source}");
        session.SetHeader("delivery", webhookId);
        return session;
    }

    private async Task Save(NpgsqlTransaction transaction, Action<IDocumentSession> change)
    {
        await using var session = Session(transaction);
        change(session);
        await session.SaveChangesAsync();
    }

    private static (int Status, ProblemDetails? Problem) Unwrap(IResult result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        var problem = result switch
        {
            ProblemHttpResult p => p.ProblemDetails,
            ValidationProblem v => v.ProblemDetails,
            _ => null,
        };
        return (status, problem);
    }

    private static IResult Refused(List<EventRefusal> refusals, Dictionary<string, string[]> errors)
    {
        var status = refusals.Any(r => r.Status == 400) ? 400 : refusals[0].Status;
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = status, Title = "The delivery was refused; nothing was appended.",
            Detail = string.Join(" ", refusals.Select(r => $"events[{r.Index}] ({r.Type}): {r.Detail ?? "invalid"}")),
            Extensions = { ["events"] = refusals },
        };
        return TypedResults.Problem(problem);
    }
}
