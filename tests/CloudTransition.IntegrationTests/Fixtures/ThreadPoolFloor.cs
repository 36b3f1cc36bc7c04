using System.Runtime.CompilerServices;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>
/// This process hosts several services at once (the shared one, the sign-in's, the notifications', the faults' and the browsers'),
/// each with its daemons and agents, on one thread pool sized for the machine's two cores. A few of the framework's interfaces are
/// synchronous (Data Protection's key ring, an OpenID Connect scheme's options) and block a pool thread on a database call the first
/// time they run; with two threads the pool then adds one about every half second, and a request caught behind that (a discovery
/// document read with a 10 s limit, in one CI run) fails on time rather than on merit.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
    }
}
