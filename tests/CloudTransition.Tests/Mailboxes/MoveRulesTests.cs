using CloudTransition.Api.Mailboxes;
using CloudTransition.Contracts;
using static CloudTransition.Contracts.MoveStatus;

namespace CloudTransition.Tests.Mailboxes;

public class MoveRulesTests
{
    [Theory]
    [InlineData(NotStarted, Queued, true)]
    [InlineData(Queued, Syncing, true)]
    [InlineData(Syncing, Synced, true)]
    [InlineData(Synced, Completed, true)]
    [InlineData(Queued, Completed, true)]
    [InlineData(Syncing, Failed, true)]
    [InlineData(Queued, Failed, true)]
    [InlineData(Failed, Queued, true)]
    [InlineData(Completed, Syncing, false)]
    [InlineData(Completed, Failed, false)]
    [InlineData(Completed, Queued, false)]
    [InlineData(Synced, Syncing, false)]
    [InlineData(Failed, Syncing, false)]
    [InlineData(Failed, Completed, false)]
    [InlineData(NotStarted, Failed, false)]
    public void a_move_changes_only_along_its_lifecycle(MoveStatus from, MoveStatus to, bool allowed) =>
        Assert.Equal(allowed, MoveRules.CanChange(from, to));

    [Fact]
    public void the_refusal_says_why()
    {
        Assert.Contains("completed", MoveRules.Refusal(Completed, Syncing));
        Assert.Contains("queued again", MoveRules.Refusal(Failed, Synced));
    }
}
