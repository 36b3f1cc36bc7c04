using CloudTransition.Api.Hosting;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.SupportCases;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Waves;
using CloudTransition.Contracts;
using JasperFx.Events;
using Marten;

namespace CloudTransition.Bench;

/// <summary>
/// The bulk path: the service's own store configuration and stream keys, appending with Marten's quick append.
/// One large transition (about 61,000 events), one huge (about 250,000; <paramref name="hugeEvents"/>, none when 0) and the rest of about
/// 10,100 events each: with 100, 1.47 million in all. Each moves its mailboxes in four waves (the move reports name the wave's batch, with
/// move detail, and the write side's assignment to the wave) over 180 days.
/// </summary>
/// <param name="transitions">100 for the benchmark; fewer for a quick look while profiling.</param>
public class Seeder(string connectionString, string tenant, int transitions, int hugeEvents)
{
    /// <summary>The events of a transition that moves <paramref name="moved"/> mailboxes (and has <see cref="FreshPerTransition"/> not moved yet).</summary>
    public static long EventsOf(int moved) => 17 + Waves + FreshPerTransition + 6L * moved;

    /// <summary>How many transitions of the usual size make up <paramref name="events"/> beside the large and the huge one.</summary>
    public static int TransitionsFor(long events, int hugeEvents) => (int)Math.Max(2, 2 + (events - EventsOf(LargestMoved) - hugeEvents) / EventsOf(OthersMoved));

    public const int FreshPerTransition = 2000, LargestMoved = 9_780, OthersMoved = 1_616, Waves = 4;
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-02T08:00:00Z");

    public List<(string Id, List<string> Fresh, long Events)> Created { get; } = [];

    public async Task<long> Run()
    {
        using var store = DocumentStore.For(o =>
        {
            EventStore.Configure(o, connectionString, applySchema: false);
            o.Events.AppendMode = EventAppendMode.Quick;
        });
        var hugeMoved = (int)Math.Max(0, (hugeEvents - EventsOf(0)) / 6);
        var plans = Enumerable.Range(0, transitions)
            .Select(i => (Id: Guid.CreateVersion7().ToString(), Index: i, Moved: i == 0 ? LargestMoved : i == 1 && hugeEvents > 0 ? hugeMoved : OthersMoved)).ToList();
        long events = 0;
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (plan, ct) =>
        {
            var count = await SeedTransition(store, plan.Id, plan.Index, plan.Moved, ct);
            Interlocked.Add(ref events, count);
        });
        return events;
    }

    private async Task<long> SeedTransition(IDocumentStore store, string id, int index, int moved, CancellationToken ct)
    {
        long count = 0;
        var fresh = new List<string>();
        await using (var session = store.LightweightSession(tenant))
        {
            session.Events.StartStream<Transition>(id, new TransitionStarted(id, $"Organisation {index:000}", [$"org{index:000}.com"], null, Start));
            session.Events.Append(id, new TransitionPhaseChanged(id, TransitionPhase.Assessment, TransitionPhase.Migration, null, Start.AddDays(7)));
            for (var d = 0; d < 10; d++)
            {
                var deviceId = $"dev{d}";
                session.Events.StartStream<RelayDevice>(RelayDevice.Key(id, deviceId),
                    new RelayDeviceRegistered(id, deviceId, $"Device {d}", DeviceKind.Printer, new((d & 1) == 1, (d & 2) == 2, (d & 4) == 4), "exch01:25", new(100, d * 5, 10), Start.AddDays(2)));
            }
            for (var c = 0; c < 5; c++)
                session.Events.StartStream<SupportCase>(SupportCase.Key(id, $"case{c}"),
                    new SupportCaseOpened(id, $"case{c}", $"Case {c}", "Microsoft", c % 2 == 0 ? SupportChannel.Direct : SupportChannel.Partner, CaseSeverity.B, Start.AddDays(10 + c)));
            for (var w = 0; w < Waves; w++)
                session.Events.StartStream<Wave>(Wave.StreamKey(id, $"wave{w}"),
                    new WavePlanned(id, $"wave{w}", $"Wave {w + 1}", Start.AddDays(14 + w * 45), Start.AddDays(14 + (w + 1) * 45), null, Start.AddDays(10)));
            count += 17 + Waves;
            await session.SaveChangesAsync(ct);
        }

        const int perSession = 400;
        for (var first = 0; first < moved + FreshPerTransition; first += perSession)
        {
            await using var session = store.LightweightSession(tenant);
            for (var m = first; m < Math.Min(first + perSession, moved + FreshPerTransition); m++)
            {
                var address = $"u{m:00000}@org{index:000}.com";
                var at = Start.AddDays(1);
                var events = new List<object> { new MailboxInventoried(id, address, m % 10 == 0 ? MailboxKind.ResourceMailbox : MailboxKind.UserMailbox, null, at) };
                if (m < moved)
                {
                    var days = m * 180 / moved;
                    var day = Start.AddDays(14 + days);
                    var wave = Math.Min(days / 45, Waves - 1);
                    events.Add(new MailboxMoveStatusChanged(id, address, MoveStatus.NotStarted, MoveStatus.Queued, $"Wave {wave + 1}", null, day));
                    events.Add(new MailboxAssignedToWave(id, address, $"wave{wave}", null, day));
                    events.Add(new MailboxMoveStatusChanged(id, address, MoveStatus.Queued, MoveStatus.Syncing, null, null, day.AddHours(1))
                    {
                        Detail = new MoveDetail(40, "CopyingMessages", 1200, 0, 0, 0, DataConsistencyScore.Perfect, day.AddHours(1)),
                    });
                    events.Add(new MailboxMoveStatusChanged(id, address, MoveStatus.Syncing, MoveStatus.Synced, null, null, day.AddHours(5)));
                    events.Add(new MailboxMoveStatusChanged(id, address, MoveStatus.Synced, MoveStatus.Completed, null, null, day.AddHours(9)));
                }
                else fresh.Add(address);
                session.Events.StartStream<Mailbox>(TransitionStreams.Mailbox(id, address), events.ToArray());
                count += events.Count;
            }
            await session.SaveChangesAsync(ct);
        }
        lock (Created) Created.Add((id, fresh, count));
        return count;
    }
}
