using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using JasperFx.Events.Projections;
using Marten;

namespace CloudTransition.Api.SupportCases;

/// <summary>A case with a vendor and its instants, so time to first response and age can be measured.</summary>
public class SupportCase : ItemSnapshot<SupportCase>
{
    public string CaseId { get; set; } = "";
    public string TransitionId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Vendor { get; set; } = "";
    public SupportChannel Channel { get; set; }
    public CaseSeverity Severity { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public int Responses { get; set; }
    public int Escalations { get; set; }
    public DateTimeOffset? LastEscalatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? Resolution { get; set; }

    public bool Open => ResolvedAt is null;

    public static SupportCase Create(SupportCaseOpened e) => new()
    {
        CaseId = e.CaseId, TransitionId = e.TransitionId, Title = e.Title, Vendor = e.Vendor, Channel = e.Channel,
        Severity = e.Severity, OpenedAt = e.OccurredAt,
    };

    public void Apply(SupportCaseResponded e)
    {
        Responses++;
        if (FirstResponseAt is null || e.OccurredAt < FirstResponseAt) FirstResponseAt = e.OccurredAt;
    }

    public void Apply(SupportCaseEscalated e)
    {
        Escalations++;
        if (LastEscalatedAt is null || e.OccurredAt > LastEscalatedAt) LastEscalatedAt = e.OccurredAt;
    }

    public void Apply(SupportCaseResolved e) => (ResolvedAt, Resolution) = (e.OccurredAt, e.Note);

    public static string Key(string transitionId, string caseId) => $"{TransitionStreams.Prefix(transitionId)}case/{caseId}";
}

public static class SupportCaseDocuments
{
    public static void AddSupportCaseDocuments(this StoreOptions opts)
    {
        opts.Projections.Snapshot<SupportCase>(SnapshotLifecycle.Inline);
        opts.Schema.For<SupportCase>().Duplicate(c => c.TransitionId, configure: TransitionIndex.PerTenant);
    }
}
