namespace CloudTransition.Bench;

/// <summary>CPU seconds used by the whole machine (every process, from /proc/stat) and by one process.</summary>
public readonly record struct CpuTime(double Machine, double Process)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuTime Now(int? pid = null) => new(MachineSeconds(), pid is { } p ? ProcessSeconds(p) : 0);

    public CpuTime Since(CpuTime start) => new(Machine - start.Machine, Process - start.Process);

    /// <summary>Busy time of all cores: everything but idle and iowait.</summary>
    private static double MachineSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    private static double ProcessSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond; // utime, stime
    }
}
