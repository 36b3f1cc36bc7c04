using CloudTransition.Api.Common;
using CloudTransition.Api.Transitions;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Api.Waves;

/// <summary>A window in which no cutover should be planned (quarter close, holidays): a wave planned to complete inside one is a risk.</summary>
public sealed record Blackout : ItemState
{
    public string BlackoutId { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset DeclaredAt { get; init; }

    /// <summary>The events <see cref="Fold"/> takes; it leaves the state as it is for any other.</summary>
    public static readonly Type[] Events = [typeof(BlackoutDeclared)];

    public static Blackout? Fold(Blackout? blackout, object e) => e is BlackoutDeclared d
        ? new Blackout
        {
            TransitionId = d.TransitionId, BlackoutId = d.BlackoutId, Name = d.Name, Start = d.Start, End = d.End, Reason = d.Reason,
            DeclaredAt = d.OccurredAt, Ledger = Ledger.Empty.Create(d.OccurredAt).Ledger,
        }
        : blackout;

    public bool Covers(DateTimeOffset at) => Start <= at && at < End;

    public static string StreamKey(string transitionId, string blackoutId) => $"{TransitionStreams.Prefix(transitionId)}blackout/{blackoutId}";
}

/// <summary>A blackout window as the API shows it.</summary>
public record BlackoutAnswer(string BlackoutId, string Name, DateTimeOffset Start, DateTimeOffset End, string? Reason, DateTimeOffset DeclaredAt)
{
    public static BlackoutAnswer Of(Blackout b) => new(b.BlackoutId, b.Name, b.Start, b.End, b.Reason, b.DeclaredAt);
}

public static class BlackoutDocuments
{
    public static void AddBlackoutDocuments(this StoreOptions opts) => opts.AddItemState<Blackout>(Blackout.Fold, Blackout.Events, b => b.TransitionId);
}
