using System.Text.Json.Nodes;
using CloudTransition.Api.Webhooks;

namespace CloudTransition.Tests.Webhooks;

public class DeliveryItemTests
{
    private static WebhookEnvelope Event(string type, string address) => new(type, "tr1", new JsonObject { ["address"] = address });

    [Fact]
    public void only_mailboxes_a_delivery_moves_once_and_touches_no_other_way_are_fetched_ahead()
    {
        var events = new[]
        {
            Event("mailbox.moved", "ann@abc.com"),
            Event("mailbox.moved", "Bob@abc.com"), Event("mailbox.moved", "bob@ABC.com"), // the same mailbox twice
            Event("mailbox.inventoried", "cid@abc.com"), Event("mailbox.moved", "cid@abc.com"), // started in the same delivery
            Event("mailbox.moved", "Dee@abc.com"),
            new WebhookEnvelope("mailbox.moved", "tr1", new JsonObject { ["address"] = 42 }), // refused by its command later
        };

        Assert.Equal(["tr1/mailbox/ann@abc.com", "tr1/mailbox/dee@abc.com"], WebhookTypes.MailboxesOnlyMoved(events));
    }
}
