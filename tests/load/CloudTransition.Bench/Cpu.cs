namespace CloudTransition.Bench;

/// <summary>
/// CPU seconds used by the whole machine (every process, from /proc/stat), by one process (the service), by PostgreSQL (its
/// processes alive at both readings: Npgsql pools its connections, so backends outlive a phase) and by the bench itself (its load
/// clients, and the fan-out phase's receiver). With the minor page faults of the service and of PostgreSQL: on this virtual machine a
/// process's first touch of a page costs 14–19 µs (measured: a child touching a shared mapping its parent had filled), so they are CPU too.
/// </summary>
public readonly record struct CpuTime(double Machine, double Process, double Database, double Bench, long ProcessFaults = 0, long DatabaseFaults = 0)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly IReadOnlyDictionary<int, (double Seconds, long Faults)>? _postgres = null;

    private CpuTime(double machine, (double Seconds, long Faults) process, IReadOnlyDictionary<int, (double Seconds, long Faults)> postgres, double bench)
        : this(machine, process.Seconds, 0, bench, process.Faults) => _postgres = postgres;

    public static CpuTime Now(int? pid = null) =>
        new(MachineSeconds(), pid is { } p ? ProcessUse(p) ?? default : default, Postgres(), ProcessUse(Environment.ProcessId)?.Seconds ?? 0);

    public CpuTime Since(CpuTime start)
    {
        var postgres = _postgres!.Where(p => start._postgres!.ContainsKey(p.Key)).Select(p => (Seconds: p.Value.Seconds - start._postgres![p.Key].Seconds,
            Faults: p.Value.Faults - start._postgres![p.Key].Faults)).ToList();
        return new(Machine - start.Machine, Process - start.Process, postgres.Sum(p => p.Seconds), Bench - start.Bench, ProcessFaults - start.ProcessFaults,
            postgres.Sum(p => p.Faults));
    }

    /// <summary>Busy time of all cores: everything but idle and iowait.</summary>
    private static double MachineSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    private static Dictionary<int, (double, long)> Postgres()
    {
        var found = new Dictionary<int, (double, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Comm(pid) == "postgres" && ProcessUse(pid) is { } use)
                found[pid] = use;
        return found;
    }

    private static string? Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return null; }
    }

    /// <summary>CPU seconds (utime, stime) and minor page faults (minflt) of a process.</summary>
    private static (double Seconds, long Faults)? ProcessUse(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return ((long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond, long.Parse(fields[7]));
        }
        catch (IOException) { return null; } // gone meanwhile
    }
}
