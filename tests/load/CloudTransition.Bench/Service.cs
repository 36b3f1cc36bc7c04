using System.Diagnostics;

namespace CloudTransition.Bench;

/// <summary>The API as deploy/dev.sh runs it (Release build), on a loopback port, with its peak RSS sampled.</summary>
public sealed class Service : IDisposable
{
    private readonly Process _process;
    public string Url { get; }
    public int Pid => _process.Id;
    public TimeSpan StartToReady { get; private set; }

    private Service(Process process, string url) => (_process, Url) = (process, url);

    public static async Task<Service> Start(string root, string connectionString, string adminKey, int port)
    {
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", ["exec", Path.Combine(root, "src/CloudTransition.Api/bin/Release/net10.0/CloudTransition.Api.dll")])
        {
            WorkingDirectory = Path.Combine(root, "src/CloudTransition.Api"), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["ConnectionStrings__Marten"] = connectionString;
        info.Environment["CLOUDTRANSITION_ADMIN_KEY"] = adminKey;
        info.Environment["DataProtection__CertificatePath"] = Path.Combine(root, ".data/dataprotection-kek.pfx");
        info.Environment["DataProtection__CreateCertificateIfMissing"] = "true";
        info.Environment["RateLimit__PermitsPerSecond"] = "0";
        info.Environment["Notifications__AllowHttp"] = "true"; // the fan-out phase's receiver is on loopback
        info.Environment["Notifications__AllowPrivateNetworks"] = "true";
        info.Environment["CloudTransition__CodeGeneration"] = "Auto"; // deploy/dev.sh bench pre-generates the code, as the Dockerfile does
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        // Kept for reading after a run (warnings and errors; more with Logging__LogLevel__… in the bench's environment), one file per start.
        var logs = Directory.CreateDirectory(Path.Combine(root, ".data/bench")).FullName;
        var log = TextWriter.Synchronized(new StreamWriter(Path.Combine(logs, $"service-{port}.log")) { AutoFlush = true });
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) log.WriteLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) log.WriteLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new Service(process, url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                if ((await http.GetAsync($"{url}/health/ready")).IsSuccessStatusCode)
                {
                    service.StartToReady = watch.Elapsed;
                    return service;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(20);
        }
        throw new TimeoutException("The service did not become ready");
    }

    /// <summary>Peak resident set size (VmHWM) in MB.</summary>
    public double PeakRssMb() => StatusMb("VmHWM:");

    /// <summary>Resident set size now (VmRSS) in MB.</summary>
    public double RssMb() => StatusMb("VmRSS:");

    private double StatusMb(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
