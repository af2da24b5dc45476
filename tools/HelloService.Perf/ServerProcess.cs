using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HelloService.Perf;

/// <summary>
/// A server run as a child process on 127.0.0.1 (the service, JIT or Native AOT, or the bare
/// baseline). Killed when disposed, so that nothing outlives a measurement.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process, long startedAt, int appPort, int managementPort)
    {
        _process = process;
        StartedAt = startedAt;
        AppPort = appPort;
        ManagementPort = managementPort;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public int AppPort { get; }

    public int ManagementPort { get; }

    public Uri AppUri => new($"http://127.0.0.1:{AppPort}");

    public Uri ManagementUri => new($"http://127.0.0.1:{ManagementPort}");

    /// <summary>
    /// Starts the service: <paramref name="path"/> is HelloService.dll (run with dotnet) or the
    /// Native AOT binary. Defaults otherwise, except loopback, free ports and no drain delay.
    /// </summary>
    public static ServerProcess StartService(string path, IDictionary<string, string>? settings = null)
    {
        var appPort = FreePort();
        var managementPort = FreePort();
        var start = StartInfo(path, []);
        start.Environment["Server__BindAddress"] = "127.0.0.1";
        start.Environment["Server__AppPort"] = appPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Server__ManagementPort"] = managementPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Server__DrainSeconds"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        return new ServerProcess(Process.Start(start)!, startedAt, appPort, managementPort);
    }

    /// <summary>Starts this tool's bare Kestrel endpoint (same runtime, JIT) on a free port.</summary>
    public static ServerProcess StartBare()
    {
        var port = FreePort();
        var self = Path.Combine(AppContext.BaseDirectory, "HelloService.Perf.dll");
        var start = StartInfo(self, ["bare-server", port.ToString(CultureInfo.InvariantCulture)]);
        var startedAt = Stopwatch.GetTimestamp();
        return new ServerProcess(Process.Start(start)!, startedAt, port, port);
    }

    /// <summary>
    /// Polls <paramref name="path"/> on <paramref name="port"/> until it answers 200 and returns
    /// the time since the process was started. Fails if the process exits or 60 s pass.
    /// </summary>
    public async Task<TimeSpan> WaitForOkAsync(int port, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var uri = new Uri($"http://127.0.0.1:{port}{path}");
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(uri);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"no 200 from {uri} within 60 s:\n{Output}");
    }

    public Task<TimeSpan> WaitUntilReadyAsync() => WaitForOkAsync(ManagementPort, "/healthz/ready");

    public string Output
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string path, string[] args)
    {
        var isDll = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isDll ? "dotnet" : path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!,
        };
        if (isDll)
        {
            start.ArgumentList.Add(path);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
