using CloudTransition.Api.Mailboxes;
using CloudTransition.Contracts;
using CsCheck;

namespace CloudTransition.Tests.Mailboxes;

public class MailboxFoldTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly Gen<object> Reports = Gen.OneOf(
        Gen.Select(Gen.Int[0, 12], Gen.Int[1, 3], Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 2]).Select<int, int, int, bool, int, object>((hour, status, percent, stalled, batch) =>
            new MailboxMoveStatusChanged("t", "ann@abc.com", MoveStatus.NotStarted, (MoveStatus)status, batch == 0 ? null : $"wave-{batch}", null, T0.AddHours(hour))
            {
                Detail = new MoveDetail(percent * 25, stalled ? "StalledDueToTarget_MdbReplication" : "CopyingMessages", percent * 100, null, null, null, null, null),
            }),
        Gen.Select(Gen.Int[0, 12], Gen.Int[0, 2]).Select<int, int, object>((hour, wave) => new MailboxAssignedToWave("t", "ann@abc.com", $"wave{wave}", null, T0.AddHours(hour))));

    private static Mailbox Fold(IEnumerable<object> events) =>
        events.Aggregate(Mailbox.Fold(null, new MailboxInventoried("t", "ann@abc.com", MailboxKind.UserMailbox, null, T0.AddHours(-1)))!, (m, e) => Mailbox.Fold(m, e)!);

    [Fact]
    public void the_same_reports_fold_to_the_same_move_wave_and_clocks_in_any_order()
    {
        Gen.Select(Reports.Array[1, 10], Gen.Int).Sample((reports, seed) =>
        {
            var random = new Random(seed);
            var inOrder = Fold(reports);
            var shuffled = Fold(reports.OrderBy(_ => random.Next()));
            Assert.Equal((inOrder.Status, inOrder.PercentComplete, inOrder.StatusDetail, inOrder.WaveId, inOrder.StatusChangedAt, inOrder.ProgressSince, inOrder.Batch),
                (shuffled.Status, shuffled.PercentComplete, shuffled.StatusDetail, shuffled.WaveId, shuffled.StatusChangedAt, shuffled.ProgressSince, shuffled.Batch));
        });
    }

    [Fact]
    public void settings_of_the_same_instant_fold_the_same_in_any_order()
    {
        var (a, b) = (new TransitionSettingsChanged("t", 48, T0), new TransitionSettingsChanged("t", 12, T0));
        var settings = new CloudTransition.Api.Transitions.TransitionSettings();
        Assert.Equal(settings.Changed(a).Changed(b), settings.Changed(b).Changed(a));
    }

    [Fact]
    public void the_progress_clock_starts_at_the_first_report_of_the_latest_run_without_progress()
    {
        MailboxMoveStatusChanged Syncing(int hour, int percent, string detail = "CopyingMessages") =>
            new("t", "ann@abc.com", MoveStatus.Queued, MoveStatus.Syncing, null, null, T0.AddHours(hour))
            {
                Detail = new MoveDetail(percent, detail, null, null, null, null, null, null),
            };
        // 40 % at 2 h, still 40 % at 5 h and 30 h (a detail change is not progress): stalled from 2 h + 24 h.
        var mailbox = Fold([Syncing(0, 10), Syncing(30, 40, "StalledDueToTarget_Processor"), Syncing(2, 40), Syncing(5, 40)]);
        Assert.Equal((T0, T0.AddHours(2)), (mailbox.StatusChangedAt, mailbox.ProgressSince));
        Assert.True(mailbox.Clock.StalledByDetail);
        var resumed = Fold([Syncing(0, 10), Syncing(2, 40), Syncing(5, 40), Syncing(30, 40)]);
        Assert.False(resumed.Clock.StalledAt(T0.AddHours(25), TimeSpan.FromHours(24)));
        Assert.True(resumed.Clock.StalledAt(T0.AddHours(26), TimeSpan.FromHours(24)));
        Assert.False(Fold([Syncing(0, 10), Syncing(2, 40), Syncing(27, 41)]).Clock.StalledAt(T0.AddHours(30), TimeSpan.FromHours(24)));
    }
}
