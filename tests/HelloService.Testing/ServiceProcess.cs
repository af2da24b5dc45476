using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HelloService.Testing;

/// <summary>
/// The service as its own process on 127.0.0.1, for what only a real process shows: exit codes,
/// start-up messages, signals, start-up time and memory. The JIT build runs as
/// <c>dotnet HelloService.dll</c>; a native binary (the Native AOT build) runs as itself.
/// Killed with its children when disposed, so that nothing outlives a test or a measurement.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    /// <summary>
    /// Environment variable naming the binary <see cref="Start(IDictionary{string, string}?)"/>
    /// runs instead of the JIT build beside the caller, e.g. the Native AOT binary
    /// (<c>artifacts/aot/linux-x64/HelloService</c>; relative to the repository root), so the same
    /// tests cover both builds.
    /// </summary>
    public const string BinaryVariable = "HELLOSERVICE_BINARY";

    /// <summary>As <see cref="BinaryVariable"/>, for the load generator (<c>artifacts/aot/linux-x64/hello-load</c>).</summary>
    public const string GeneratorVariable = "HELLOLOAD_BINARY";

    private readonly Process _process;
    private readonly long _startedAt;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, long startedAt, int appPort, int managementPort)
    {
        _process = process;
        _startedAt = startedAt;
        AppPort = appPort;
        ManagementPort = managementPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int AppPort { get; }

    public int ManagementPort { get; }

    public Uri AppUri => new($"http://127.0.0.1:{AppPort}");

    public Uri ManagementUri => new($"http://127.0.0.1:{ManagementPort}");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
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

    /// <summary>Resident memory in MiB.</summary>
    public double RssMiB => Status("VmRSS") / 1024.0;

    /// <summary>Resident memory and its parts, from one read of /proc/PID/status.</summary>
    public ResidentMemory Memory()
    {
        var fields = ProcFs.StatusFields(_process.Id);
        return new ResidentMemory(fields["VmRSS"] / 1024.0, fields["RssAnon"] / 1024.0, fields["RssFile"] / 1024.0, fields["RssShmem"] / 1024.0);
    }

    /// <summary>Peak resident memory (high-water mark) in MiB.</summary>
    public double PeakRssMiB => Status("VmHWM") / 1024.0;

    public long Threads => Status("Threads");

    /// <summary>
    /// Starts the build beside the caller (<c>HelloService.dll</c> in the caller's output folder), or
    /// the binary named by <see cref="BinaryVariable"/>, with the given settings (environment-variable form);
    /// with <paramref name="arguments"/>, its command line; with
    /// <paramref name="cgroup"/> (a cgroup directory), inside that cgroup from its first instruction.
    /// </summary>
    public static ServiceProcess Start(IDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null, string? cgroup = null) =>
        Start(Binary(BinaryVariable, "HelloService.dll"), environment, arguments, cgroup);

    /// <summary>Starts the load generator (<c>hello-load.dll</c> beside the caller, or <see cref="GeneratorVariable"/>) with <paramref name="arguments"/>.</summary>
    public static ServiceProcess StartGenerator(IReadOnlyList<string> arguments) =>
        Start(Binary(GeneratorVariable, "hello-load.dll"), null, arguments);

    private static string Binary(string variable, string besideCaller) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } binary
            ? (Path.IsPathRooted(binary) ? binary : Repository.Path(binary))
            : Path.Combine(AppContext.BaseDirectory, besideCaller);

    /// <summary>
    /// Starts <paramref name="path"/> (HelloService.dll, run with <c>dotnet</c>, or a native binary) on
    /// two free loopback ports with no drain delay, otherwise with its defaults and <paramref name="environment"/>.
    /// </summary>
    public static ServiceProcess Start(
        string path, IDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null, string? cgroup = null)
    {
        var fullPath = Path.GetFullPath(path);
        string[] command = fullPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? ["dotnet", fullPath, .. arguments ?? []]
            : [fullPath, .. arguments ?? []];
        if (cgroup is not null)
        {
            // The shell joins the cgroup, then becomes the service: the runtime reads its CPU limit at start.
            command = ["/bin/sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", cgroup, .. command];
        }

        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(fullPath)!,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        var appPort = FreePort();
        var managementPort = FreePort();
        start.Environment["Server__BindAddress"] = "127.0.0.1";
        start.Environment["Server__AppPort"] = appPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Server__ManagementPort"] = managementPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Server__DrainSeconds"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        return new ServiceProcess(Process.Start(start)!, startedAt, appPort, managementPort);
    }

    /// <summary>
    /// <see cref="Start(IDictionary{string, string}?, IReadOnlyList{string}?, string?)"/>, then
    /// <see cref="WaitUntilReadyAsync"/> (with a warm-up greeting when <paramref name="warmUp"/>);
    /// the process is killed if it never becomes ready.
    /// </summary>
    public static async Task<ServiceProcess> StartReadyAsync(
        IDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null, string? cgroup = null, bool warmUp = false)
    {
        var service = Start(environment, arguments, cgroup);
        try
        {
            await service.WaitUntilReadyAsync(warmUp: warmUp);
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>A loopback TCP port nobody listens on right now.</summary>
    /// <remarks>
    /// Chosen at random below the kernel's ephemeral range (<c>ip_local_port_range</c>): a port the
    /// kernel hands out (port 0) may become some client connection's local port before the service
    /// binds it, which fails the bind; below that range only another test's choice can collide.
    /// </remarks>
    public static int FreePort()
    {
        var ephemeralLow = File.Exists(EphemeralRange)
            && int.TryParse(File.ReadAllText(EphemeralRange).Split('\t', ' ')[0], CultureInfo.InvariantCulture, out var low) ? low : 32768;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, Math.Max(20_001, ephemeralLow));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    public HttpClient App() => new() { BaseAddress = AppUri, Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Management() => new() { BaseAddress = ManagementUri, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// Waits until /healthz/ready answers 200 and returns the time since the process was started;
    /// throws if the process exits first or <paramref name="seconds"/> pass. With
    /// <paramref name="warmUp"/>, also waits for a small greeting, so that JIT compilation is not
    /// what a measurement sees first. <paramref name="pollMilliseconds"/> sets the polling
    /// interval (1 for a start-up measurement).
    /// </summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(double seconds = 30, bool warmUp = false, int pollMilliseconds = 20)
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            BaseAddress = ManagementUri,
            Timeout = TimeSpan.FromSeconds(5),
        };
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flush the redirected output
                throw new InvalidOperationException($"the service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var ready = Stopwatch.GetElapsedTime(_startedAt);
                    if (warmUp)
                    {
                        using var app = App();
                        using var greeting = await app.GetAsync(new Uri("/hello-world?count=2&m=5", UriKind.Relative));
                        if (greeting.StatusCode != HttpStatusCode.OK)
                        {
                            throw new InvalidOperationException($"the warm-up greeting answered {(int)greeting.StatusCode}:\n{Output}");
                        }
                    }

                    return ready;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (limit.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                // One poll timed out (a busy machine); try again while time is left.
            }

            await Task.Delay(pollMilliseconds);
        }

        throw new TimeoutException($"the service was not ready within {seconds} s:\n{Output}");
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

    /// <summary>A field of /proc/PID/status: kB for VmRSS and VmHWM, a count for Threads.</summary>
    public long Status(string field) => ProcFs.Status(_process.Id, field);

    /// <summary>Sends SIGTERM, as Kubernetes does at every scale-in.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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

/// <summary>
/// Resident memory in MiB: anonymous (heaps, stacks), file-backed (the binary and the libraries it
/// loaded) and shared memory (the JIT's double-mapped code), which add up to the total.
/// </summary>
public sealed record ResidentMemory(double TotalMiB, double AnonymousMiB, double FileMiB, double SharedMiB);
