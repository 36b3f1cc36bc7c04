namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>The system clock, unless a test stops it at an instant (tests in the collection run one at a time).</summary>
public class TestClock : TimeProvider
{
    public DateTimeOffset? Frozen { get; set; }
    public override DateTimeOffset GetUtcNow() => Frozen ?? System.GetUtcNow();

    public IDisposable FreezeAt(DateTimeOffset at)
    {
        Frozen = at;
        return new Thaw(this);
    }

    private sealed class Thaw(TestClock clock) : IDisposable
    {
        public void Dispose() => clock.Frozen = null;
    }
}
