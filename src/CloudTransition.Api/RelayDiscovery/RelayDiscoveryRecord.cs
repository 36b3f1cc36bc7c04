using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>One reading of Exchange's logs: what the body held and which senders it showed.</summary>
public sealed record RelayDiscoveryRecord : ItemState
{
    public string DiscoveryId { get; init; } = "";
    public string ContentHash { get; init; } = "";
    public RelayLogSummary? Summary { get; init; }
    public DateTimeOffset ReadAt { get; init; }

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(RelayLogsRead)];

    public static RelayDiscoveryRecord? Fold(RelayDiscoveryRecord? record, object e) => e switch
    {
        RelayLogsRead r => new RelayDiscoveryRecord
        {
            TransitionId = r.TransitionId, DiscoveryId = r.DiscoveryId, ContentHash = r.ContentHash, Summary = r.Summary, ReadAt = r.OccurredAt,
            Ledger = Ledger.Empty,
        },
        _ => record,
    };

    public static string Key(string transitionId, string discoveryId) => $"{TransitionStreams.Prefix(transitionId)}relay-discovery/{discoveryId}";
}
