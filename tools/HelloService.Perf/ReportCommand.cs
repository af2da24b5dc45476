using System.Diagnostics;

using HelloService.Testing;

namespace HelloService.Perf;

/// <summary>Runs every measurement in turn on this machine, then prints the tables or writes them into a file.</summary>
internal static class ReportCommand
{
    public const string BlockStart = "<!-- generated -->";
    public const string BlockEnd = "<!-- /generated -->";

    public static async Task<int> RunAsync(ReportOptions options)
    {
        if (options.WritePath is not null && Splice(await File.ReadAllTextAsync(options.WritePath), "") is null)
        {
            // Checked before minutes of measuring, not after.
            Console.Error.WriteLine($"HelloService.Perf: {options.WritePath} has no {BlockStart} ... {BlockEnd} block to replace");
            return 1;
        }

        var total = Stopwatch.StartNew();
        var machine = MachineInfo.Capture(options.Command);
        var runs = options.Runs;

        Step("1/4 saturation: 35 x A(3,11) at P = 1..cores and 2 x cores (JIT)");
        var saturation = await OnceMoreAsync(() => Saturation.MeasureAsync(options.JitPath, runs));

        Step("2/4 probe latency: /healthz/live idle and with every core burning, nice 19 and nice 0 (JIT)");
        var probes = await OnceMoreAsync(() => Responsiveness.MeasureAsync(options.JitPath, runs));
        var probesNice0 = await OnceMoreAsync(() => Responsiveness.MeasureAsync(
            options.JitPath, runs, new Dictionary<string, string> { ["HelloWorld__WorkerNice"] = "0" }));

        Step("3/4 cold start and idle RSS, JIT and Native AOT");
        var coldStart = new[]
        {
            await OnceMoreAsync(() => StartupAndMemory.ColdStartAsync(Builds.Jit, options.JitPath, 2 * runs - 1)),
            await OnceMoreAsync(() => StartupAndMemory.ColdStartAsync(Builds.Aot, options.AotPath, 2 * runs - 1)),
        };

        Step("4/4 peak RSS serving 35 x A(3,11), once and four at once, JIT and Native AOT");
        var memory = new[]
        {
            await OnceMoreAsync(() => StartupAndMemory.PeakAsync(Builds.Jit, options.JitPath, runs)),
            await OnceMoreAsync(() => StartupAndMemory.PeakAsync(Builds.Aot, options.AotPath, runs)),
        };

        machine = machine with { LoadAfter = ProcFs.LoadAverage(), Duration = total.Elapsed };
        var tables = Report.Render(new Measurements(machine, saturation, probes, probesNice0, coldStart, memory));
        Console.Write(tables);
        if (options.WritePath is not null)
        {
            await File.WriteAllTextAsync(options.WritePath, Splice(await File.ReadAllTextAsync(options.WritePath), tables));
            Step($"wrote the tables into {options.WritePath}");
        }

        Step($"done in {total.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    /// <summary>The document with the text between the markers replaced; null when it has no such block.</summary>
    public static string? Splice(string document, string tables)
    {
        var start = document.IndexOf(BlockStart, StringComparison.Ordinal);
        var end = document.IndexOf(BlockEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return null;
        }

        return document[..(start + BlockStart.Length)] + "\n" + tables + document[end..];
    }

    /// <summary>
    /// Runs a measurement, and once more from scratch if it failed: on a shared machine a service
    /// process can be stopped from outside (a signal, the OOM killer) in the middle of minutes of
    /// measuring. A second failure ends the report.
    /// </summary>
    private static async Task<T> OnceMoreAsync<T>(Func<Task<T>> measure)
    {
        try
        {
            return await measure();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            Step($"failed, measuring again from scratch: {e.Message.Split('\n')[0]}");
            return await measure();
        }
    }

    private static void Step(string message) => Console.Error.WriteLine($"[perf {DateTime.UtcNow:HH:mm:ss}] {message}");
}

internal sealed record ReportOptions(string JitPath, string AotPath, int Runs, string? WritePath, string Command)
{
    public const string Usage = """
        usage: HelloService.Perf report --jit PATH/HelloService.dll --aot PATH/HelloService [--runs N] [--write FILE]
        Measures saturation, probe latency under a burn, cold start and memory of the service on this
        machine (127.0.0.1 only) and prints markdown tables. --write FILE replaces the block between
        <!-- generated --> and <!-- /generated --> in FILE with them.
        example: scripts/perf-report.sh --write docs/performance.md
        """;

    /// <summary>The options, or the reason they are wrong.</summary>
    public static (ReportOptions? Options, string? Error) Parse(string[] args)
    {
        string? jit = null, aot = null, write = null;
        var runs = 3;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return (null, $"{args[i]} needs a value");
            }

            switch (args[i])
            {
                case "--jit": jit = args[i + 1]; break;
                case "--aot": aot = args[i + 1]; break;
                case "--write": write = args[i + 1]; break;
                case "--runs" when int.TryParse(args[i + 1], out var r) && r is >= 1 and <= 20: runs = r; break;
                case "--runs": return (null, $"--runs takes 1 to 20, not {args[i + 1]}");
                default: return (null, $"unknown option {args[i]}");
            }
        }

        if (jit is null || aot is null)
        {
            return (null, "--jit and --aot are required");
        }

        foreach (var path in new[] { jit, aot, write })
        {
            if (path is not null && !File.Exists(path))
            {
                return (null, $"not found: {path}");
            }
        }

        var command = Environment.GetEnvironmentVariable("PERF_COMMAND") is { Length: > 0 } script
            ? script
            : "HelloService.Perf report " + string.Join(' ', args);
        return (new ReportOptions(Path.GetFullPath(jit), Path.GetFullPath(aot), runs, write, command), null);
    }
}

internal sealed record MachineInfo(
    int Cores, string CpuModel, string Kernel, double MemoryGiB, string Runtime, string LoadBefore, string LoadAfter, DateTime Started, TimeSpan Duration, string Command)
{
    public static MachineInfo Capture(string command) => new(
        Environment.ProcessorCount,
        ProcFs.CpuModel(),
        ProcFs.KernelRelease(),
        ProcFs.MemTotalBytes() / (1024.0 * 1024 * 1024),
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ProcFs.LoadAverage(),
        "",
        DateTime.UtcNow,
        TimeSpan.Zero,
        command);
}
