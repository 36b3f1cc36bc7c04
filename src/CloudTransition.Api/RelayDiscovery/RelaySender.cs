using System.Collections.Immutable;
using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// A sender IP seen relaying through Exchange, as every discovery so far saw it. Observations merge so that the order they
/// arrive in and a log read twice change nothing: each day's volume is the larger count any log showed (a day split across
/// two logs is undercounted, never counted twice), peaks and first/last seen are extremes, sending outside is any log's,
/// and what its sessions looked like (port, connector, AUTH, TLS) is what its latest-seen log showed.
/// </summary>
public sealed record RelaySender : ItemState
{
    public string RemoteIp { get; init; } = "";
    public string? Hostname { get; init; }
    public string? LocalIp { get; init; }
    public int? LocalPort { get; init; }
    public string? Connector { get; init; }
    public bool? Authenticated { get; init; }
    public string? AuthMechanism { get; init; }
    public bool? Tls { get; init; }
    public bool SendsExternal { get; init; }
    public ImmutableSortedDictionary<DateOnly, DayVolume> Days { get; init; } = ImmutableSortedDictionary<DateOnly, DayVolume>.Empty;
    public int PeakMessagesPerMinute { get; init; }
    public int MaxRecipientsPerMessage { get; init; }
    public DateTimeOffset FirstSeen { get; init; } = DateTimeOffset.MaxValue;
    public DateTimeOffset LastSeen { get; init; } = DateTimeOffset.MinValue;
    public string SessionsTie { get; init; } = "";
    public string? DiscoveryId { get; init; }
    public string? DismissedReason { get; init; }

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(RelaySenderSeen), typeof(RelaySenderDismissed)];

    public static RelaySender? Fold(RelaySender? sender, object e) => e switch
    {
        RelaySenderSeen s => (sender ?? new RelaySender { TransitionId = s.TransitionId, RemoteIp = s.Observation.RemoteIp }).Seen(s),
        RelaySenderDismissed d => (sender ?? new RelaySender { TransitionId = d.TransitionId, RemoteIp = d.RemoteIp }).Dismissed(d),
        _ => sender,
    };

    private RelaySender Seen(RelaySenderSeen e)
    {
        var o = e.Observation;
        var (ledger, _) = Ledger.Create(e.OccurredAt);
        var days = Days;
        foreach (var day in o.Days)
            days = days.SetItem(day.Day, days.TryGetValue(day.Day, out var known)
                ? new DayVolume(day.Day, Math.Max(known.Messages, day.Messages), Math.Max(known.Recipients, day.Recipients))
                : day);
        var merged = this with
        {
            Ledger = ledger, Days = days, SendsExternal = SendsExternal || o.SendsExternal,
            PeakMessagesPerMinute = Math.Max(PeakMessagesPerMinute, o.PeakMessagesPerMinute),
            MaxRecipientsPerMessage = Math.Max(MaxRecipientsPerMessage, o.MaxRecipientsPerMessage),
            FirstSeen = o.FirstSeen < FirstSeen ? o.FirstSeen : FirstSeen, LastSeen = o.LastSeen > LastSeen ? o.LastSeen : LastSeen,
        };
        var tie = $"{o.Hostname}|{o.LocalIp}|{o.LocalPort}|{o.Connector}|{o.Authenticated}|{o.AuthMechanism}|{o.Tls}";
        var latest = o.LastSeen > LastSeen || o.LastSeen == LastSeen && string.CompareOrdinal(tie, SessionsTie) > 0;
        return latest
            ? merged with
            {
                Hostname = o.Hostname, LocalIp = o.LocalIp, LocalPort = o.LocalPort, Connector = o.Connector, Authenticated = o.Authenticated,
                AuthMechanism = o.AuthMechanism, Tls = o.Tls, SessionsTie = tie, DiscoveryId = e.DiscoveryId,
            }
            : merged;
    }

    private RelaySender Dismissed(RelaySenderDismissed e)
    {
        var (ledger, latest) = Ledger.Record(e.OccurredAt, 1, dependency: false, e.Reason);
        return this with { Ledger = ledger, DismissedReason = latest ? e.Reason : DismissedReason };
    }

    /// <summary>Whether someone said it is no device to register: from then on it is no dependency.</summary>
    public bool IsDismissed => DismissedReason is not null;

    /// <summary>Whether what a discovery saw is already all known: then it records nothing.</summary>
    public bool Absorbs(SenderObservation o)
    {
        if (!Ledger.Known) return false;
        var after = Fold(this, new RelaySenderSeen(TransitionId, DiscoveryId ?? "", o, LastSeen))!;
        // The same state, but for the bookkeeping of when it was first reported (the days compare by value, not by reference).
        return after.Days.Values.SequenceEqual(Days.Values) && after with { Days = Days, Ledger = Ledger } == this;
    }

    /// <summary>The busiest day's messages and recipients.</summary>
    public DayVolume? BusiestDay => Days.Values.OrderByDescending(d => d.Messages).ThenByDescending(d => d.Recipients).FirstOrDefault();

    public static string Key(string transitionId, string remoteIp) => $"{TransitionStreams.Prefix(transitionId)}relay-sender/{remoteIp}";
}

public static class RelaySenderDocuments
{
    public static void AddRelayDiscoveryDocuments(this StoreOptions opts)
    {
        opts.AddItemState<RelaySender>(RelaySender.Fold, RelaySender.Events, s => s.TransitionId);
        opts.AddItemState<RelayDiscoveryRecord>(RelayDiscoveryRecord.Fold, RelayDiscoveryRecord.Events, d => d.TransitionId);
    }
}
