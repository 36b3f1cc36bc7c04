using System.Text.Json;
using CloudTransition.Api.Common;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Transitions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using JasperFx.Events;
using Npgsql;

namespace CloudTransition.Api.Webhooks;

/// <summary>
/// Runs every event of a delivery in one PostgreSQL transaction and one session: each event runs its command, and
/// its changes are flushed only when a later event is about the same item (so that one sees them). The delivery's
/// record goes with the last events, in the same transaction: a redelivery, or a concurrent delivery of the same id
/// that got there first, makes this one fail on the record's key (or on the stream versions) and roll back, and the
/// caller answers the first result.
/// </summary>
public class DeliveryRun(IDocumentStore store, string tenant, string source, string webhookId, string correlationId, WebhookDelivery delivery,
    IReadOnlyList<WebhookEnvelope> events, JsonSerializerOptions json, IServiceProvider services, TimeProvider time, ILogger logger)
{
    public async Task<IResult> Execute()
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var answering = new AnswerWhenSaving();
        await using var session = Session(transaction, answering);

        await session.FetchAhead<Mailbox>(WebhookTypes.MailboxesOnlyMoved(events));

        var appended = new List<(int Index, string Type, StreamAction Stream)>();
        var seen = new HashSet<StreamAction>();
        var refusals = new List<EventRefusal>();
        var errors = new Dictionary<string, string[]>();
        var unflushed = new HashSet<string>();
        foreach (var (envelope, index) in events.Select((e, i) => (e, i)))
        {
            var items = WebhookTypes.Items(envelope);
            if (items.Concat(WebhookTypes.Reads(envelope)).Any(unflushed.Contains) && refusals.Count == 0)
            {
                await session.SaveChangesAsync();
                unflushed.Clear();
            }
            unflushed.UnionWith(items);
            var refusal = await WebhookTypes.All[envelope.Type](new WebhookCall(session, services, json, time, envelope.TransitionId, envelope.Data));
            var streams = session.PendingChanges.Streams().Where(seen.Add).ToList(); // the ones this event started
            if (refusal is not null)
            {
                refusals.Add(new EventRefusal(index, envelope.Type, refusal.Status, refusal.Detail));
                foreach (var (field, messages) in refusal is Refusal.Invalid invalid ? invalid.Errors : new Dictionary<string, string[]>())
                    errors[events.Count > 1 ? $"events[{index}].data.{field}" : $"data.{field}"] = messages;
                continue;
            }
            appended.AddRange(streams.Select(s => (index, envelope.Type, s)));
        }

        if (refusals.Count > 0)
        {
            await transaction.RollbackAsync();
            return Refused(refusals, errors);
        }
        // The record holding the answer goes in the same round trip as the last events: Marten gives the events their
        // versions as it saves, and serializes the record after its listeners ran, so the answer is written in then.
        DeliveryAccepted? accepted = null;
        answering.Answer = () =>
        {
            accepted = new DeliveryAccepted(webhookId, events.Count,
                appended.SelectMany(a => a.Stream.Events.Select(e => new Appended(a.Index, a.Type, TransitionStreams.Url(a.Stream.Key!), e.Version))).ToList());
            delivery.Answer = JsonSerializer.Serialize(accepted, json);
        };
        session.Insert(delivery);
        await session.SaveChangesAsync();
        await transaction.CommitAsync();
        logger.LogInformation("Webhook delivery {DeliveryId} from {Source} of {Tenant} appended {Count} events", webhookId, source, tenant, accepted!.Appended.Count);
        return TypedResults.Ok(accepted);
    }

    /// <summary>A session of the delivery's tenant on the delivery's transaction: SaveChanges flushes, only Execute commits.</summary>
    private IDocumentSession Session(NpgsqlTransaction transaction, IDocumentSessionListener listener)
    {
        var options = Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false);
        options.TenantId = tenant;
        options.Listeners.Add(listener);
        var session = store.LightweightSession(options);
        session.CorrelationId = correlationId;
        session.SetHeader("source", $"webhook:{source}");
        session.SetHeader("delivery", webhookId);
        return session;
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

    /// <summary>Runs <see cref="Answer"/> in the save that has it set, once the events have their versions and before anything is written.</summary>
    private sealed class AnswerWhenSaving : DocumentSessionListenerBase
    {
        public Action? Answer { get; set; }

        public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            Answer?.Invoke();
            return Task.CompletedTask;
        }
    }
}
