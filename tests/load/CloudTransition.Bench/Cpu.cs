namespace CloudTransition.Bench;

/// <summary>
/// CPU seconds used by the whole machine (every process, from /proc/stat), by one process (the service), by PostgreSQL (its
/// processes alive at both readings: Npgsql pools its connections, so backends outlive a phase) and by the bench itself (its load
/// clients, and the fan-out phase's receiver).
/// </summary>
public readonly record struct CpuTime(double Machine, double Process, double Database, double Bench)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly IReadOnlyDictionary<int, double>? _postgres = null;

    private CpuTime(double machine, double process, IReadOnlyDictionary<int, double> postgres, double bench) : this(machine, process, 0, bench) =>
        _postgres = postgres;

    public static CpuTime Now(int? pid = null) => new(MachineSeconds(), pid is { } p ? ProcessSeconds(p) ?? 0 : 0, Postgres(), ProcessSeconds(Environment.ProcessId) ?? 0);

    public CpuTime Since(CpuTime start) => new(Machine - start.Machine, Process - start.Process,
        _postgres!.Where(p => start._postgres!.ContainsKey(p.Key)).Sum(p => p.Value - start._postgres![p.Key]), Bench - start.Bench);

    /// <summary>Busy time of all cores: everything but idle and iowait.</summary>
    private static double MachineSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    private static Dictionary<int, double> Postgres()
    {
        var found = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Comm(pid) == "postgres" && ProcessSeconds(pid) is { } seconds)
                found[pid] = seconds;
        return found;
    }

    private static string? Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return null; }
    }

    private static double? ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond; // utime, stime
        }
        catch (IOException) { return null; } // gone meanwhile
    }
}
