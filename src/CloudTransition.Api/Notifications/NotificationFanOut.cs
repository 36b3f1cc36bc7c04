using System.Text.Json;
using CloudTransition.Contracts;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;
using Marten.Subscriptions;

namespace CloudTransition.Api.Notifications;

/// <summary>
/// Follows the event store in order (Marten's async daemon, one node at a time) and queues a delivery for each subscription that
/// wants an event. The deliveries are written in the transaction that records how far the fan-out has read, so none is lost and
/// none is queued twice, and ingestion does not wait for any of it.
/// </summary>
public class NotificationFanOut : SubscriptionBase
{
    private readonly JsonSerializerOptions _json;
    private readonly DeliverySignal _worker;

    public NotificationFanOut(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, DeliverySignal worker)
    {
        (_json, _worker) = (json.Value.SerializerOptions, worker);
        Name = "Notifications";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        CancellationToken cancellationToken)
    {
        var events = page.Events.Where(e => e.Data is ITransitionEvent && NotificationTypes.Of(e.Data) is not null).ToList();
        if (events.Count == 0) return NullChangeListener.Instance;
        var subscriptions = await operations.Query<NotificationSubscription>().Where(s => s.AnyTenant() && s.State == SubscriptionState.Active)
            .ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var e in events)
            foreach (var subscription in subscriptions.Where(s => s.TenantId == e.TenantId && e.Sequence > s.AfterSequence))
            {
                var transitionId = ((ITransitionEvent)e.Data).TransitionId;
                var type = NotificationTypes.Of(e.Data)!;
                if (!subscription.Wants(type, transitionId)) continue;
                operations.ForTenant(e.TenantId).Store(Queued(subscription, e, type, transitionId));
                queued++;
            }
        return queued == 0 ? NullChangeListener.Instance : new WakeWorker(_worker);
    }

    private NotificationDelivery Queued(NotificationSubscription s, IEvent e, string type, string transitionId) => new()
    {
        Id = $"{s.Id}-{e.Sequence}", TenantId = e.TenantId, SubscriptionId = s.Id, TransitionId = transitionId, Sequence = e.Sequence, Type = type, Timestamp = e.Timestamp,
        Data = JsonSerializer.Serialize(e.Data, e.Data.GetType(), _json), State = DeliveryState.Pending, NextAttemptAt = e.Timestamp,
    };

    private sealed class WakeWorker(DeliverySignal worker) : IChangeListener
    {
        public Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            worker.Wake();
            return Task.CompletedTask;
        }

        public Task BeforeCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;
    }
}
