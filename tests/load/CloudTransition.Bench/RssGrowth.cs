namespace CloudTransition.Bench;

/// <summary>How far the service's resident set grows above where it was while something runs: sampled every 20 ms.</summary>
public sealed class RssGrowth : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<double> _peak;
    private readonly double _before;

    private RssGrowth(Service service)
    {
        _before = service.RssMb();
        _peak = Task.Run(async () =>
        {
            var peak = _before;
            while (!_stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, service.RssMb());
                await Task.Delay(20);
            }
            return peak;
        });
    }

    public static RssGrowth Sample(Service service) => new(service);

    /// <summary>Stops sampling; the growth in MB.</summary>
    public async Task<double> Stop()
    {
        _stop.Cancel();
        return await _peak - _before;
    }

    public void Dispose() => _stop.Dispose();
}
