using CloudTransition.Api.Mailboxes;
using CloudTransition.Contracts;

namespace CloudTransition.Tests.Mailboxes;

public class ExoMoveReportsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static ExoDates Dates(string order = "mdy", string zone = "UTC") => new(order, TimeZoneInfo.FindSystemTimeZoneById(zone), Now, Now);

    [Theory]
    [InlineData(@"/Date(1790879400000)/", "mdy", "UTC", "2026-10-01T18:30:00Z")]      // Windows PowerShell 5.1's ConvertTo-Json
    [InlineData("2026-10-01T20:30:00+02:00", "mdy", "UTC", "2026-10-01T18:30:00Z")]     // PowerShell 7, a local DateTime
    [InlineData("2026-10-01T18:30:00Z", "dmy", "Europe/Berlin", "2026-10-01T18:30:00Z")]
    [InlineData("2026-10-01T20:30:00", "mdy", "Europe/Berlin", "2026-10-01T18:30:00Z")] // no offset: the exporting machine's zone
    [InlineData("10/1/2026 6:30:00 PM", "mdy", "UTC", "2026-10-01T18:30:00Z")]          // Export-Csv, en-US
    [InlineData("01.10.2026 20:30:00", "dmy", "Europe/Berlin", "2026-10-01T18:30:00Z")] // Export-Csv, de-DE
    [InlineData("2026-10-01 18:30:00", "ymd", "UTC", "2026-10-01T18:30:00Z")]
    public void dates_are_read_as_each_powershell_writes_them(string text, string order, string zone, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), ExoMoveReports.ParseInstant(text, Dates(order, zone)));

    [Theory]
    [InlineData("13/1/2026 6:30:00 PM", "mdy")]
    [InlineData("yesterday", "mdy")]
    [InlineData(@"/Date(99999999999999999999)/", "mdy")]
    [InlineData(@"/Date(9999999999999999)/", "mdy")]
    public void a_date_in_another_order_or_no_date_is_not_guessed(string text, string order) => Assert.Null(ExoMoveReports.ParseInstant(text, Dates(order)));

    private static ExoMoveReport Row(params (string Column, string Value)[] cells) =>
        ExoMoveReports.Read(new ExoRow(1, cells.ToDictionary(c => c.Column, c => c.Value, StringComparer.OrdinalIgnoreCase)), Dates());

    [Theory]
    [InlineData("Queued", MoveStatus.Queued, null)]
    [InlineData("Syncing", MoveStatus.Syncing, null)]
    [InlineData("InProgress", MoveStatus.Syncing, "InProgress")]
    [InlineData("IncrementalSyncing", MoveStatus.Synced, "IncrementalSyncing")]
    [InlineData("AutoSuspended", MoveStatus.Synced, "AutoSuspended")]
    [InlineData("CompletedWithWarnings", MoveStatus.Completed, "CompletedWithWarnings")]
    [InlineData("Corrupted", MoveStatus.Failed, "Corrupted")]
    [InlineData("Stopped", null, "Stopped")]
    public void exchange_online_status_words_map_onto_moves(string word, MoveStatus? status, string? detail)
    {
        var report = Row(("EmailAddress", "ann@abc.com"), ("Status", word));
        Assert.Empty(report.Errors);
        Assert.Equal((status, detail, status is null), (report.Move!.Status, report.Move.StatusDetail, report.Held));
    }

    [Fact]
    public void a_completed_row_counts_from_its_completion_and_a_failed_one_carries_its_error()
    {
        var completed = Row(("EmailAddress", "ann@abc.com"), ("Status", "Completed"), ("LastUpdateTimestamp", "2026-10-03T10:00:00Z"), ("CompletionTimestamp", "2026-10-02T21:00:00Z"));
        Assert.Equal(DateTimeOffset.Parse("2026-10-02T21:00:00Z"), completed.Move!.OccurredAt);
        var failed = Row(("PrimarySmtpAddress", "bob@abc.com"), ("Status", "Failed"), ("Message", "Large item limit exceeded"));
        Assert.Equal(("bob@abc.com", "Large item limit exceeded", Now), (failed.Address, failed.Move!.Error, failed.Move.OccurredAt));
    }

    [Fact]
    public void bad_cells_are_named_by_exchanges_own_column()
    {
        var report = Row(("Identity", "ann"), ("Status", "3"), ("PercentComplete", "101"), ("ItemsTransferred", "-1"), ("DataConsistencyScore", "Great"),
            ("LastSuccessfulSyncTime", "2027-01-01T00:00:00Z"));
        Assert.Null(report.Move);
        Assert.Equal(["[1].DataConsistencyScore", "[1].Identity", "[1].ItemsTransferred", "[1].LastSuccessfulSyncTime", "[1].PercentComplete", "[1].Status"],
            report.Errors.Keys.Order());
    }
}
