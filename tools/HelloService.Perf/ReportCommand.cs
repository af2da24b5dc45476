using System.Diagnostics;

namespace HelloService.Perf;

/// <summary>Runs every measurement in turn on this machine, then prints and writes the report.</summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ReportOptions.Parse(args);
        if (options is null)
        {
            return 2;
        }

        var total = Stopwatch.StartNew();
        var machine = MachineInfo.Capture();
        var runs = options.Runs;

        Step("1/6 kernel: A(3,11) on one worker, JIT and Native AOT");
        var kernel = new[]
        {
            await KernelSpeed.MeasureAsync("JIT", options.JitPath, 2 * runs + 1),
            await KernelSpeed.MeasureAsync("Native AOT", options.AotPath, 2 * runs + 1),
        };

        Step("2/6 saturation: 35 x A(3,11) at P = 1..cores and 2 x cores (JIT)");
        var saturation = await Saturation.MeasureAsync(options.JitPath, runs);

        Step("3/6 responsiveness: /healthz/live idle and with every core burning (JIT)");
        var responsiveness = await Responsiveness.MeasureAsync(options.JitPath, runs);
        var responsivenessNice0 = await Responsiveness.MeasureAsync(
            options.JitPath, runs, new Dictionary<string, string> { ["HelloWorld__WorkerNice"] = "0" });

        Step("4/6 overhead: /hello-world?count=0 against bare Kestrel (JIT)");
        var overhead = await Overhead.MeasureAsync(options.JitPath, runs);

        Step("5/6 cold start and idle RSS, JIT and Native AOT");
        var coldStart = new[]
        {
            await StartupAndMemory.ColdStartAsync("JIT", options.JitPath, 2 * runs - 1),
            await StartupAndMemory.ColdStartAsync("Native AOT", options.AotPath, 2 * runs - 1),
        };

        Step("6/6 peak RSS serving 35 x A(3,11), once and 4 at once, JIT and Native AOT");
        var memory = new[]
        {
            await StartupAndMemory.PeakAsync("JIT", options.JitPath, runs),
            await StartupAndMemory.PeakAsync("Native AOT", options.AotPath, runs),
        };

        machine = machine with { LoadAfter = ProcFs.LoadAverage(), Duration = total.Elapsed };
        var markdown = Report.Render(machine, options.Note, kernel, saturation, responsiveness, responsivenessNice0, overhead, coldStart, memory);
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(options.OutPath, markdown);
        Step($"wrote {options.OutPath} in {total.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private static void Step(string message) => Console.Error.WriteLine($"[perf {DateTime.UtcNow:HH:mm:ss}] {message}");
}

internal sealed record ReportOptions(string JitPath, string AotPath, string OutPath, int Runs, string? Note)
{
    public static ReportOptions? Parse(string[] args)
    {
        string? jit = null, aot = null, output = null, note = null;
        var runs = 3;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--jit": jit = args[i + 1]; break;
                case "--aot": aot = args[i + 1]; break;
                case "--out": output = args[i + 1]; break;
                case "--note": note = args[i + 1]; break;
                case "--runs" when int.TryParse(args[i + 1], out var r) && r is >= 1 and <= 20: runs = r; break;
                default: return Fail($"bad option {args[i]} {args[i + 1]}");
            }
        }

        if (args.Length % 2 != 0 || jit is null || aot is null || output is null)
        {
            return Fail("--jit, --aot and --out are required");
        }

        if (!File.Exists(jit) || !File.Exists(aot))
        {
            return Fail($"not found: {(File.Exists(jit) ? aot : jit)} (scripts/perf-report.sh publishes both builds)");
        }

        return new ReportOptions(Path.GetFullPath(jit), Path.GetFullPath(aot), output, runs, note);
    }

    private static ReportOptions? Fail(string message)
    {
        Console.Error.WriteLine($"HelloService.Perf report: {message}");
        Console.Error.WriteLine("usage: HelloService.Perf report --jit PATH/HelloService.dll --aot PATH/HelloService --out FILE [--runs N] [--note TEXT]");
        return null;
    }
}

internal sealed record MachineInfo(
    int Cores, string CpuModel, string Kernel, double MemoryGb, string Runtime, string LoadBefore, string LoadAfter, DateTime Started, TimeSpan Duration)
{
    public static MachineInfo Capture() => new(
        Environment.ProcessorCount,
        ProcFs.CpuModel(),
        ProcFs.KernelRelease(),
        ProcFs.MemTotalBytes() / (1024.0 * 1024 * 1024),
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ProcFs.LoadAverage(),
        "",
        DateTime.UtcNow,
        TimeSpan.Zero);
}
