using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HelloService.Tests;

/// <summary>
/// The service as its own process (<c>dotnet HelloService.dll</c>, built beside the tests),
/// for what only a real process shows: exit codes, start-up messages, signals.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int appPort, int managementPort)
    {
        _process = process;
        AppPort = appPort;
        ManagementPort = managementPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int AppPort { get; }

    public int ManagementPort { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the service on two free loopback ports with the given settings (environment-variable
    /// form); with <paramref name="cgroupProcs"/> (a cgroup's <c>cgroup.procs</c> file), inside
    /// that cgroup from its first instruction, so the runtime sees the cgroup's CPU quota.
    /// </summary>
    public static ServiceProcess Start(IDictionary<string, string>? environment = null, string? cgroupProcs = null)
    {
        var appPort = FreePort();
        var managementPort = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "HelloService.dll");
        var start = new ProcessStartInfo(
            cgroupProcs is null ? "dotnet" : "sh",
            cgroupProcs is null ? [dll] : ["-c", "echo $$ > \"$1\" && exec dotnet \"$0\"", dll, cgroupProcs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Server__BindAddress"] = "127.0.0.1";
        start.Environment["Server__AppPort"] = appPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Server__ManagementPort"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Server__DrainSeconds"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start)!, appPort, managementPort);
    }

    public HttpClient App() => new() { BaseAddress = new Uri($"http://127.0.0.1:{AppPort}"), Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Management() => new() { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// Waits until /healthz/ready answers 200 (or the process exits, which fails the test);
    /// with <paramref name="warmUp"/>, also until a small greeting succeeds, so that JIT
    /// compilation is not what a measurement sees first.
    /// </summary>
    public async Task WaitUntilReadyAsync(double seconds = 30, bool warmUp = false)
    {
        using var client = Management();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            Assert.False(_process.HasExited, $"the service exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                using var response = await client.GetAsync("/healthz/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (warmUp)
                    {
                        using var app = App();
                        using var greeting = await app.GetAsync("/hello-world?count=2&m=5");
                        Assert.Equal(HttpStatusCode.OK, greeting.StatusCode);
                    }

                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20);
        }

        Assert.Fail($"the service was not ready within {seconds} s:\n{Output}");
    }

    /// <summary>Waits for the process to exit; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // flush the redirected output
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A field of /proc/PID/status in kB or as a count (VmRSS, VmHWM, Threads).</summary>
    public long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {field} in /proc/{_process.Id}/status");
    }

    /// <summary>Resident memory in MiB.</summary>
    public double RssMiB => Status("VmRSS") / 1024.0;

    public long Threads => Status("Threads");

    /// <summary>Sends SIGTERM, as Kubernetes does at every scale-in.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
