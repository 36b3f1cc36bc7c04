namespace CloudTransition.Api.Common;

/// <summary>The PostgreSQL schema holding the event store, the documents and Wolverine's tables.</summary>
public static class StoreSchema
{
    public const string Name = "cloudtransition";
}
