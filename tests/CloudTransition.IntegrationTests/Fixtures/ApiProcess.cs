using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>
/// The API as its own operating-system process on a loopback port, built like `deploy/dev.sh run` runs it:
/// for the browser tests and for the tests that kill it.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }
    public int Pid => _process.Id;
    public string LogPath => Path.Combine(TestDatabase.RepositoryRoot(), ".data/test-logs", $"api-{_process.Id}.log");

    private ApiProcess(Process process, string baseUrl) => (_process, BaseUrl) = (process, baseUrl);

    public static async Task<ApiProcess> Start(string connectionString, string adminKey, int? port = null, IDictionary<string, string>? environment = null)
    {
        var root = TestDatabase.RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/") ? "Release" : "Debug";
        var dll = Path.Combine(root, "src/CloudTransition.Api/bin", configuration, "net10.0/CloudTransition.Api.dll");
        var url = $"http://127.0.0.1:{port ?? FreePort()}";
        var start = new ProcessStartInfo("dotnet", ["exec", dll])
        {
            WorkingDirectory = Path.Combine(root, "src/CloudTransition.Api"),
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ConnectionStrings__Marten"] = connectionString;
        start.Environment["CLOUDTRANSITION_ADMIN_KEY"] = adminKey;
        start.Environment["DataProtection__CertificatePath"] = TestDatabase.KeyEncryptionCertificate();
        start.Environment["Alerts__Interval"] = "01:00:00"; // as in ApiFixture
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("The API process did not start");
        var log = Path.Combine(root, ".data/test-logs");
        Directory.CreateDirectory(log);
        var writer = new StreamWriter(Path.Combine(log, $"api-{process.Id}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, url);
        await api.WaitUntilReady(TimeSpan.FromSeconds(60));
        return api;
    }

    public async Task WaitUntilReady(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The API process exited with {_process.ExitCode}; see .data/test-logs/api-{_process.Id}.log");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The API at {BaseUrl} was not ready within {timeout}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, like a crashed node.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Talks to an <see cref="ApiProcess"/> over real HTTP.</summary>
public sealed class LiveApi(string baseUrl, string adminKey) : IApi, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    public string AdminKey => adminKey;
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public async Task<Reply> Send(string method, string url, byte[]? body, string? key, string? contentType = null, IDictionary<string, string>? headers = null)
    {
        key ??= AdminKey;
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (key.Length > 0) request.Headers.Authorization = new("Bearer", key);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var all = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var reply = new Reply((int)response.StatusCode, text, all);
        await Contract.ContractConformance.Check(method, url, reply);
        return reply;
    }

    public void Dispose() => _http.Dispose();
}
