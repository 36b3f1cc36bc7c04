namespace CloudTransition.Api.Notifications;

/// <summary>Tells the worker that deliveries were queued or made due, so it looks now rather than at its next poll (a second at most).</summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    public Task<bool> Wait(TimeSpan atMost, CancellationToken ct) => _wake.WaitAsync(atMost, ct);
}
