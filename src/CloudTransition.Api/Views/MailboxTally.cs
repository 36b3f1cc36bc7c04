using System.Text.Json;
using System.Text.Json.Serialization;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views;

/// <summary>
/// What the views need to know about a transition's mailboxes, as sums: a mailbox's share is taken out before one
/// of its events is applied and put back after, so the tally stays exact whatever order the events arrive in.
/// </summary>
public class MailboxTally
{
    public int Known { get; set; }
    public int Remaining { get; set; }
    public int Completed { get; set; }
    public int UserMailboxes { get; set; }
    public decimal Gb { get; set; }
    public decimal RemainingGb { get; set; }

    /// <summary>Failed moves: address → error.</summary>
    public Dictionary<string, string?> Failed { get; set; } = [];

    /// <summary>The change in remaining mailboxes at each instant (unix ms) where one started or stopped being a dependency.</summary>
    public Dictionary<long, int> Changes { get; set; } = [];

    /// <summary>The mailboxes that became known at each instant (unix ms): the scope line, apart from what was cleared.</summary>
    public Dictionary<long, int> Scope { get; set; } = [];

    /// <summary>Each wave's mailboxes, by wave id.</summary>
    public Dictionary<string, WaveTally> Waves { get; set; } = [];

    /// <summary>The moves that are or may become stalled (address → what the stall rule reads): few at a time, however large the organisation.</summary>
    public Dictionary<string, StallableMove> Stallable { get; set; } = [];

    [JsonIgnore] public int Moved => Known - Remaining;

    /// <summary>Moves a mailbox's share of the tally from its state before an event to its state after.</summary>
    public void Replace(Mailbox? before, Mailbox after)
    {
        if (before is not null) Count(before, -1);
        Count(after, +1);
    }

    private void Count(Mailbox m, int sign)
    {
        if (!m.Ledger.Known) return;
        var gb = m.EstimatedGb;
        Known += sign;
        Gb += sign * gb;
        if (m.IsDependency) (Remaining, RemainingGb) = (Remaining + sign, RemainingGb + sign * gb);
        if (m.Status == MoveStatus.Completed) Completed += sign;
        if (m.Kind == MailboxKind.UserMailbox) UserMailboxes += sign;
        if (m.Status == MoveStatus.Failed)
        {
            if (sign > 0) Failed[m.Address] = m.Error;
            else Failed.Remove(m.Address);
        }
        foreach (var (at, delta) in m.Ledger.DependencyChanges()) Add(Changes, at, sign * delta);
        Add(Scope, m.Ledger.KnownSince!.Value, sign);
        if (m.WaveId is { } wave) CountInWave(m, wave, sign);
        if (m.Clock.CanStall)
        {
            if (sign > 0) Stallable[m.Address] = new StallableMove(m.WaveId, m.Clock);
            else Stallable.Remove(m.Address);
        }
    }

    private void CountInWave(Mailbox m, string wave, int sign)
    {
        if (!Waves.TryGetValue(wave, out var tally)) Waves[wave] = tally = new WaveTally();
        tally.Count(m, sign);
        if (tally.Total == 0) Waves.Remove(wave);
    }

    /// <summary>Adds to a count kept per instant, dropping instants whose count nets to zero.</summary>
    public static void Add(Dictionary<long, int> counts, DateTimeOffset at, int delta)
    {
        var instant = at.ToUnixTimeMilliseconds();
        var net = counts.GetValueOrDefault(instant) + delta;
        if (net == 0) counts.Remove(instant);
        else counts[instant] = net;
    }
}

/// <summary>A move that is or may become stalled: its wave and what the stall rule reads.</summary>
[JsonConverter(typeof(StallableMoveJson))]
public record StallableMove(string? WaveId, MoveClock Clock);

/// <summary>
/// A transition keeps one per syncing mailbox, most of its view document while a wave syncs (147 of 170 KB in the bench), and the
/// daemon rewrites the document for every page that touches the transition: stored as [wave, status, detail, progressSince in
/// ticks], not as objects (110 bytes each). The object form of earlier documents is still read.
/// </summary>
public class StallableMoveJson : JsonConverter<StallableMove>
{
    public override StallableMove Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
            return JsonSerializer.Deserialize<Earlier>(ref reader, options) is { Clock: { } clock } earlier ? new(earlier.WaveId, clock) : throw new JsonException("A stallable move has a clock.");
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A stallable move is [wave, status, detail, progressSince].");
        reader.Read(); var wave = reader.GetString();
        reader.Read(); var status = JsonSerializer.Deserialize<MoveStatus>(ref reader, options);
        reader.Read(); var detail = reader.GetString();
        reader.Read(); DateTimeOffset? since = reader.TokenType == JsonTokenType.Null ? null : new DateTimeOffset(reader.GetInt64(), TimeSpan.Zero);
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("A stallable move is [wave, status, detail, progressSince].");
        return new(wave, new MoveClock(status, detail, since));
    }

    public override void Write(Utf8JsonWriter writer, StallableMove move, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(move.WaveId);
        JsonSerializer.Serialize(writer, move.Clock.Status, options);
        writer.WriteStringValue(move.Clock.StatusDetail);
        if (move.Clock.ProgressSince is { } since) writer.WriteNumberValue(since.UtcTicks);
        else writer.WriteNullValue();
        writer.WriteEndArray();
    }

    private sealed record Earlier(string? WaveId, MoveClock? Clock);
}

/// <summary>One wave's mailboxes, counted by move status, with when their moves started and completed (for the wave's own pace).</summary>
public class WaveTally
{
    public int Total { get; set; }
    public Dictionary<MoveStatus, int> ByStatus { get; set; } = [];

    /// <summary>When the wave's moves were first reported (unix ms → count): the earliest is when the wave really started.</summary>
    public Dictionary<long, int> Started { get; set; } = [];

    /// <summary>When the wave's completed moves completed (unix ms → count).</summary>
    public Dictionary<long, int> Completions { get; set; } = [];

    public int Of(MoveStatus status) => ByStatus.GetValueOrDefault(status);

    public void Count(Mailbox m, int sign)
    {
        Total += sign;
        var net = ByStatus.GetValueOrDefault(m.Status) + sign;
        if (net == 0) ByStatus.Remove(m.Status);
        else ByStatus[m.Status] = net;
        if (!m.Ledger.Flips.IsEmpty) MailboxTally.Add(Started, m.Ledger.Flips[0].At, sign);
        if (m.Status == MoveStatus.Completed && m.StatusChangedAt is { } completed) MailboxTally.Add(Completions, completed, sign);
    }
}
