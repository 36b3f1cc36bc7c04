using CloudTransition.Api.Common;

namespace CloudTransition.Tests.Common;

public class LedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void the_latest_report_by_occurred_at_decides_whatever_order_they_arrive_in()
    {
        var inOrder = Ledger.Empty.Create(T0).Ledger.Record(T0.AddDays(4), 2, false).Ledger.Record(T0.AddDays(9), 1, true).Ledger;
        var late = Ledger.Empty.Create(T0).Ledger.Record(T0.AddDays(9), 1, true).Ledger.Record(T0.AddDays(4), 2, false);
        Assert.False(late.Latest);
        Assert.Equal(inOrder.Flips, late.Ledger.Flips);
        Assert.Equal((inOrder.StateAt, inOrder.StateRank), (late.Ledger.StateAt, late.Ledger.StateRank));
        Assert.True(late.Ledger.IsDependency);
    }

    [Fact]
    public void creating_an_item_never_overrides_a_report_that_happened_before_it()
    {
        var (moved, _) = Ledger.Empty.Record(T0, 5, dependency: false);
        var (created, latest) = moved.Create(T0.AddDays(1));
        Assert.False(latest);
        Assert.False(created.IsDependency);
        Assert.Equal([(T0, 1), (T0, -1)], created.DependencyChanges().ToList());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void same_instant_reports_fold_by_their_lifecycle_rank(bool higherFirst)
    {
        var first = higherFirst ? (Rank: 2, Dependency: false) : (Rank: 1, Dependency: true);
        var second = higherFirst ? (Rank: 1, Dependency: true) : (Rank: 2, Dependency: false);
        var ledger = Ledger.Empty.Record(T0, first.Rank, first.Dependency).Ledger.Record(T0, second.Rank, second.Dependency).Ledger;
        Assert.False(ledger.IsDependency);
        Assert.Equal(2, ledger.StateRank);
    }

    [Fact]
    public void two_reports_of_the_same_instant_and_rank_fold_by_their_content_in_either_order()
    {
        var cloud = (Dependency: false, Tie: "AuthenticatedSubmission587|smtp.office365.com|587|");
        var relay = (Dependency: true, Tie: "ConnectorRelay|relay01.abc.local|25|");
        var one = Ledger.Empty.Record(T0, 1, cloud.Dependency, cloud.Tie).Ledger.Record(T0, 1, relay.Dependency, relay.Tie).Ledger;
        var other = Ledger.Empty.Record(T0, 1, relay.Dependency, relay.Tie).Ledger.Record(T0, 1, cloud.Dependency, cloud.Tie).Ledger;
        Assert.Equal(one.Flips, other.Flips);
        Assert.Equal((one.StateTie, one.IsDependency), (other.StateTie, other.IsDependency));
        Assert.Equal(relay.Tie, one.StateTie);
    }
}
