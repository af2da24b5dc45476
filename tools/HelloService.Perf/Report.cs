using System.Globalization;
using System.Text;

namespace HelloService.Perf;

/// <summary>Everything one run of the report measured.</summary>
internal sealed record Measurements(
    MachineInfo Machine,
    List<SaturationResult> Saturation,
    ResponsivenessResult Probes,
    ResponsivenessResult ProbesNice0,
    ColdStartResult[] ColdStart,
    MemoryResult[] Memory);

/// <summary>
/// The generated block of docs/performance.md: tables only, and every figure in them measured by
/// this run. What the tables mean, and why, is written by hand around the block.
/// </summary>
internal static class Report
{
    public static string Render(Measurements m)
    {
        var md = new StringBuilder();
        Machine(md, m.Machine);
        Targets(md, m);
        SaturationTable(md, m.Saturation, m.Machine.Cores);
        Probes(md, m.Probes, m.ProbesNice0);
        Startup(md, m.ColdStart, m.Memory);
        return md.ToString().TrimEnd() + "\n";
    }

    private static void Machine(StringBuilder md, MachineInfo machine)
    {
        md.AppendLine("| run | |");
        md.AppendLine("|---|---|");
        md.AppendLine($"| started | {machine.Started:yyyy-MM-dd HH:mm} UTC, {F(machine.Duration.TotalSeconds, 0)} s |");
        md.AppendLine($"| command | `{machine.Command}` |");
        md.AppendLine($"| machine | {machine.Cores} cores, {machine.CpuModel}, {F(machine.MemoryGiB, 1)} GiB, Linux {machine.Kernel} |");
        md.AppendLine($"| runtime | {machine.Runtime} |");
        md.AppendLine($"| load average before / after | {machine.LoadBefore} / {machine.LoadAfter} |");
        md.AppendLine();
    }

    private static void Targets(StringBuilder md, Measurements m)
    {
        var aot = m.ColdStart.Single(c => c.Build == Builds.Aot);
        var worstPeak = m.Memory.MaxBy(x => x.FourRequestsPeakMiB)!;
        var lowest = m.Saturation.MinBy(s => s.Ratio)!;
        var probeLimit = Math.Min(10, 5 * m.Probes.Idle.P99Ms);
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| measure | target | measured | |");
        md.AppendLine("|---|---|---|---|");
        Row(md, "saturation ratio, lowest P", ">= 0.95", $"{F(lowest.Ratio, 3)} (P = {lowest.Parallelism})", Math.Round(lowest.Ratio, 3) >= 0.95);
        Row(md, "probe p99, every worker busy", $"<= 10 ms and <= 5 x idle p99 ({F(5 * m.Probes.Idle.P99Ms, 1)} ms)", $"{F(m.Probes.Saturated.P99Ms, 1)} ms", Math.Round(m.Probes.Saturated.P99Ms, 1) <= probeLimit);
        Row(md, "Native AOT start to ready", "<= 80 ms", $"{F(aot.StartMs, 0)} ms", aot.StartMs <= 80);
        Row(md, "Native AOT idle RSS", "<= 35 MiB", $"{F(aot.Idle.TotalMiB, 1)} MiB", aot.Idle.TotalMiB <= 35);
        Row(md, "peak RSS, four default requests at once", "<= 80 MiB", $"{F(worstPeak.FourRequestsPeakMiB, 1)} MiB ({worstPeak.Build})", worstPeak.FourRequestsPeakMiB <= 80);
        md.AppendLine();
    }

    private static void Row(StringBuilder md, string measure, string target, string measured, bool met) =>
        md.AppendLine($"| {measure} | {target} | {measured} | {(met ? "met" : "**missed**")} |");

    private static void SaturationTable(StringBuilder md, List<SaturationResult> saturation, int cores)
    {
        md.AppendLine("### Saturation");
        md.AppendLine();
        md.AppendLine("| P | ratio | tail bound | wall s | others | machine busy | runs |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var s in saturation)
        {
            md.AppendLine($"| {s.Parallelism} | {F(s.Ratio, 3)} | {F(TailBound(s.Parallelism, cores), 3)} | {F(s.WallSeconds, 2)} | {F(100 * s.OthersShare, 0)} % | {F(100 * MachineBusy(s, cores), 0)} % | {s.Runs} |");
        }

        md.AppendLine();
    }

    private static void Probes(StringBuilder md, ResponsivenessResult probes, ResponsivenessResult nice0)
    {
        md.AppendLine("### Probe latency");
        md.AppendLine();
        md.AppendLine($"| service ({probes.Probes} probes per round) | p50 ms | p99 ms | max ms | rounds |");
        md.AppendLine("|---|---|---|---|---|");
        md.AppendLine($"| idle | {F(probes.Idle.P50Ms, 2)} | {F(probes.Idle.P99Ms, 2)} | {F(probes.Idle.MaxMs, 1)} | {probes.Rounds} |");
        md.AppendLine($"| {probes.BusyWorkers} workers busy, nice 19 (default) | {F(probes.Saturated.P50Ms, 2)} | {F(probes.Saturated.P99Ms, 2)} | {F(probes.Saturated.MaxMs, 1)} | {probes.Rounds} |");
        md.AppendLine($"| {nice0.BusyWorkers} workers busy, `HelloWorld__WorkerNice=0` | {F(nice0.Saturated.P50Ms, 2)} | {F(nice0.Saturated.P99Ms, 2)} | {F(nice0.Saturated.MaxMs, 1)} | {nice0.Rounds} |");
        md.AppendLine();
    }

    private static void Startup(StringBuilder md, ColdStartResult[] coldStart, MemoryResult[] memory)
    {
        md.AppendLine("### Start-up and memory");
        md.AppendLine();
        md.AppendLine("| build | start to ready ms | idle RSS MiB | anonymous / file-backed / shared MiB | runs | peak RSS when ready MiB | after one request MiB | after four at once MiB | runs |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var c in coldStart)
        {
            var m = memory.Single(x => x.Build == c.Build);
            md.AppendLine($"| {c.Build} | {F(c.StartMs, 0)} | {F(c.Idle.TotalMiB, 1)} | {F(c.Idle.AnonymousMiB, 1)} / {F(c.Idle.FileMiB, 1)} / {F(c.Idle.SharedMiB, 1)} | {c.Runs} | {F(m.IdlePeakMiB, 1)} | {F(m.OneRequestPeakMiB, 1)} | {F(m.FourRequestsPeakMiB, 1)} | {m.Runs} |");
        }

        md.AppendLine();
    }

    /// <summary>
    /// The best ratio when 35 computations run min(P, cores) at a time and the last round keeps
    /// only some of them busy; with more workers than cores the threads share the cores and the
    /// bound is 1.
    /// </summary>
    private static double TailBound(int parallelism, int cores)
    {
        if (parallelism > cores)
        {
            return 1.0;
        }

        var rounds = (Perf.Saturation.Count + parallelism - 1) / parallelism;
        return (double)Perf.Saturation.Count / (rounds * parallelism);
    }

    /// <summary>The service's CPU plus the others', as a share of all cores.</summary>
    private static double MachineBusy(SaturationResult s, int cores) =>
        ((s.Ratio * Math.Min(s.Parallelism, cores)) + (s.OthersShare * cores)) / cores;

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
