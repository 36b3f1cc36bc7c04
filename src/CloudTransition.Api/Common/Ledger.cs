using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudTransition.Api.Common;

/// <summary>When an item started or stopped tying the organisation to its own servers.</summary>
[JsonConverter(typeof(FlipJson))]
public record Flip(DateTimeOffset At, int Rank, bool Dependency, string Tie = "")
{
    /// <summary>Event time, then lifecycle rank, then the report's content: the order reports count in, whatever order they arrive in.</summary>
    public int CompareTo(DateTimeOffset at, int rank, string tie) =>
        At != at ? At.CompareTo(at) : Rank != rank ? Rank.CompareTo(rank) : string.CompareOrdinal(Tie, tie);
}

/// <summary>Flips are most of a large transition's view document: stored as [unix ms, rank, 0|1] (and the tie when there is one), not as objects.</summary>
public class FlipJson : JsonConverter<Flip>
{
    public override Flip Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A flip is [unix ms, rank, dependency].");
        reader.Read(); var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());
        reader.Read(); var rank = reader.GetInt32();
        reader.Read(); var dependency = reader.GetInt32() == 1;
        reader.Read();
        var tie = "";
        if (reader.TokenType == JsonTokenType.String)
        {
            tie = reader.GetString()!;
            reader.Read();
        }
        return new Flip(at, rank, dependency, tie);
    }

    public override void Write(Utf8JsonWriter writer, Flip flip, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(flip.At.ToUnixTimeMilliseconds());
        writer.WriteNumberValue(flip.Rank);
        writer.WriteNumberValue(flip.Dependency ? 1 : 0);
        if (flip.Tie.Length > 0) writer.WriteStringValue(flip.Tie);
        writer.WriteEndArray();
    }
}

/// <summary>
/// An item's reports in event time: when it was created (inventoried, registered, raised), which later report is its
/// latest state (last writer wins by occurredAt, ties broken by a rank that follows the item's lifecycle) and where it
/// started or stopped being a dependency. So an item's state is the same whatever order its reports arrive in: the write
/// side deciding on it and every view agree. Creating an item establishes it (a dependency from then on) but never
/// overrides a report: a move that happened before the mailbox was inventoried still stands.
/// </summary>
public sealed record Ledger
{
    public static readonly Ledger Empty = new();

    public DateTimeOffset? CreatedAt { get; init; }
    public ImmutableList<Flip> Flips { get; init; } = [];
    public DateTimeOffset StateAt { get; init; } = DateTimeOffset.MinValue;
    public int StateRank { get; init; } = -1;
    public string StateTie { get; init; } = "";

    [JsonIgnore] public bool Known => CreatedAt is not null || !Flips.IsEmpty;
    [JsonIgnore] public bool IsDependency => Flips.IsEmpty ? CreatedAt is not null : Flips[^1].Dependency;

    /// <summary>Records the item's creation; <c>Latest</c> says whether no report decides its state yet.</summary>
    public (Ledger Ledger, bool Latest) Create(DateTimeOffset at) =>
        (this with { CreatedAt = CreatedAt is { } known && known < at ? known : at }, Flips.IsEmpty);

    /// <summary>
    /// Records a report; <c>Latest</c> says whether it is now the item's latest state. Two reports of the same instant and rank
    /// (two wizard runs naming different servers at once) are ordered by <paramref name="tie"/>, the report's content, so the
    /// same reports fold to the same state in any order.
    /// </summary>
    public (Ledger Ledger, bool Latest) Record(DateTimeOffset at, int rank, bool dependency, string tie = "")
    {
        var index = Flips.FindLastIndex(f => f.CompareTo(at, rank, tie) <= 0) + 1;
        var flips = Flips.Insert(index, new Flip(at, rank, dependency, tie));
        var latest = new Flip(StateAt, StateRank, false, StateTie).CompareTo(at, rank, tie) <= 0;
        return (latest ? this with { Flips = flips, StateAt = at, StateRank = rank, StateTie = tie } : this with { Flips = flips }, latest);
    }

    /// <summary>
    /// Since when the item's reports have said the same: the first report of the latest run of reports of its state's rank whose
    /// <paramref name="mark"/> (a part of the report's content) equals the latest's. Null before any report.
    /// </summary>
    public DateTimeOffset? SteadySince(Func<string, string> mark)
    {
        if (Flips.IsEmpty) return null;
        var (last, first) = (Flips[^1], Flips.Count - 1);
        var same = mark(last.Tie);
        while (first > 0 && Flips[first - 1].Rank == last.Rank && mark(Flips[first - 1].Tie) == same) first--;
        return Flips[first].At;
    }

    /// <summary>When the item was first known: created, or first reported if that came earlier.</summary>
    [JsonIgnore] public DateTimeOffset? KnownSince => Flips.IsEmpty ? CreatedAt : CreatedAt is { } created && created <= Flips[0].At ? created : Flips[0].At;

    /// <summary>
    /// Where, in event time, the item starts (+1) and stops (−1) tying the organisation to its servers: a created item from its
    /// creation or its first report, whichever came first; then as its reports say.
    /// </summary>
    public IEnumerable<(DateTimeOffset At, int Delta)> DependencyChanges()
    {
        var before = false;
        if (CreatedAt is { } created)
        {
            yield return (Flips.IsEmpty || created <= Flips[0].At ? created : Flips[0].At, 1);
            before = true;
        }
        foreach (var flip in Flips)
        {
            if (flip.Dependency == before) continue;
            yield return (flip.At, flip.Dependency ? 1 : -1);
            before = flip.Dependency;
        }
    }
}
