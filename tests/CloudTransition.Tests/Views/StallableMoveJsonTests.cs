using CloudTransition.Api.Hosting;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.Views;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Tests.Views;

/// <summary>The stallable moves in a view document, through the store's own serializer: compact, exact, and earlier documents still read.</summary>
public class StallableMoveJsonTests
{
    private static readonly ISerializer Store = Serializer();

    [Fact]
    public void a_stallable_move_is_stored_as_an_array_and_read_back_exactly()
    {
        var tally = new MailboxTally
        {
            Stallable =
            {
                ["ann@abc.com"] = new StallableMove("wave1", new MoveClock(MoveStatus.Syncing, "CopyingMessages", new DateTimeOffset(2026, 3, 16, 8, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567))),
                ["bob@abc.com"] = new StallableMove(null, new MoveClock(MoveStatus.Queued, "StalledDueToTarget_Processor", null)),
            },
        };

        var json = Store.ToJson(tally);
        Assert.Contains("\"ann@abc.com\":[\"wave1\",\"Syncing\",\"CopyingMessages\",", json);
        Assert.Contains("\"bob@abc.com\":[null,\"Queued\",\"StalledDueToTarget_Processor\",null]", json);
        var read = Store.FromJson<MailboxTally>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(tally.Stallable, read.Stallable); // the same instant to the tick (records compare DateTimeOffset by instant)
    }

    [Fact]
    public void a_view_stored_before_keeps_its_stallable_moves()
    {
        const string earlier = """{"stallable":{"ann@abc.com":{"waveId":"wave1","clock":{"status":"Syncing","statusDetail":"CopyingMessages","progressSince":"2026-03-16T08:00:00+02:00"}}}}""";
        var read = Store.FromJson<MailboxTally>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(earlier)));
        Assert.Equal(new StallableMove("wave1", new MoveClock(MoveStatus.Syncing, "CopyingMessages", DateTimeOffset.Parse("2026-03-16T06:00:00Z"))), read.Stallable["ann@abc.com"]);
    }

    [Theory]
    [InlineData("""{"stallable":{"a":["wave1","Syncing"]}}""")]
    [InlineData("""{"stallable":{"a":"wave1"}}""")]
    public void a_malformed_stallable_move_is_refused(string json) =>
        Assert.ThrowsAny<Exception>(() => Store.FromJson<MailboxTally>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

    private static ISerializer Serializer()
    {
        var options = new StoreOptions();
        EventStore.Configure(options, "Host=localhost;Database=none", applySchema: false);
        return options.Serializer();
    }
}
