namespace CloudTransition.Api.Webhooks;

/// <summary>
/// A delivery taken: written in the same transaction as the events it appended, so a redelivery of the same
/// `webhook-id` finds it and gets the first answer, and a delivery that failed leaves no trace.
/// </summary>
public class WebhookDelivery
{
    public string Id { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string Answer { get; set; } = "";

    /// <summary>SHA-256 of the delivered body (hex), so a redelivery with other content is told apart; absent on records from before it was kept.</summary>
    public string? BodyHash { get; set; }

    public static string Key(string source, string webhookId) => $"{source}/{webhookId}";

    public static string HashOf(byte[] body) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
}

/// <summary>One event appended by a delivery: the item it changed (its URL) and the item's version after it.</summary>
public record Appended(int Index, string Type, string Item, long Version);

/// <summary>What a delivery appended.</summary>
public record DeliveryAccepted(string DeliveryId, int Events, IReadOnlyList<Appended> Appended);

/// <summary>One event of a refused delivery and what was wrong with it.</summary>
public record EventRefusal(int Index, string? Type, int Status, string? Detail);
