using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.SupportCases;

/// <summary>A case with a vendor and its instants, so time to first response and age can be measured. Not a dependency.</summary>
public sealed record SupportCase : ItemState
{
    public string CaseId { get; init; } = "";
    public string Title { get; init; } = "";
    public string Vendor { get; init; } = "";
    public SupportChannel Channel { get; init; }
    public CaseSeverity Severity { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? FirstResponseAt { get; init; }
    public int Responses { get; init; }
    public int Escalations { get; init; }
    public DateTimeOffset? LastEscalatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? Resolution { get; init; }

    public bool Open => ResolvedAt is null;

    /// <summary>Whether the case was open at an instant of event time.</summary>
    public bool OpenAt(DateTimeOffset at) => OpenedAt <= at && (ResolvedAt is null || ResolvedAt > at);

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(SupportCaseOpened), typeof(SupportCaseResponded), typeof(SupportCaseEscalated), typeof(SupportCaseResolved)];

    /// <summary>Instants are kept by occurredAt (the earliest response, the latest escalation and resolution), so late reports land right.</summary>
    public static SupportCase? Fold(SupportCase? supportCase, object e)
    {
        var c = supportCase ?? new SupportCase();
        return e switch
        {
            SupportCaseOpened o => c with
            {
                CaseId = o.CaseId, TransitionId = o.TransitionId, Title = o.Title, Vendor = o.Vendor, Channel = o.Channel, Severity = o.Severity, OpenedAt = o.OccurredAt,
            },
            SupportCaseResponded r => c with { Responses = c.Responses + 1, FirstResponseAt = Earliest(c.FirstResponseAt, r.OccurredAt) },
            SupportCaseEscalated x => c with { Escalations = c.Escalations + 1, LastEscalatedAt = Latest(c.LastEscalatedAt, x.OccurredAt) },
            SupportCaseResolved r when c.ResolvedAt is null || r.OccurredAt > c.ResolvedAt
                                       || (r.OccurredAt == c.ResolvedAt && string.CompareOrdinal(r.Note, c.Resolution) > 0) => c with { ResolvedAt = r.OccurredAt, Resolution = r.Note },
            _ => supportCase,
        };
    }

    private static DateTimeOffset Earliest(DateTimeOffset? known, DateTimeOffset at) => known is { } k && k < at ? k : at;
    private static DateTimeOffset Latest(DateTimeOffset? known, DateTimeOffset at) => known is { } k && k > at ? k : at;

    public static string Key(string transitionId, string caseId) => $"{TransitionStreams.Prefix(transitionId)}case/{caseId}";
}

/// <summary>A case as the API shows it: `id` is the id its URL uses (the same as `caseId`), never a stream key.</summary>
public record SupportCaseAnswer(string Id, int Version, string CaseId, string TransitionId, string Title, string Vendor, SupportChannel Channel,
    CaseSeverity Severity, DateTimeOffset OpenedAt, DateTimeOffset? FirstResponseAt, int Responses, int Escalations, DateTimeOffset? LastEscalatedAt,
    DateTimeOffset? ResolvedAt, string? Resolution, bool Open)
{
    public static SupportCaseAnswer Of(SupportCase c) => new(c.CaseId, c.Version, c.CaseId, c.TransitionId, c.Title, c.Vendor, c.Channel, c.Severity,
        c.OpenedAt, c.FirstResponseAt, c.Responses, c.Escalations, c.LastEscalatedAt, c.ResolvedAt, c.Resolution, c.Open);
}

public static class SupportCaseDocuments
{
    public static void AddSupportCaseDocuments(this StoreOptions opts) => opts.AddItemState<SupportCase>(SupportCase.Fold, SupportCase.Events, c => c.TransitionId);
}
