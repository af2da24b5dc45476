using HelloService.Testing;

namespace HelloService.Perf;

/// <summary>Start to ready, and the idle resident memory with its parts (medians of each).</summary>
internal sealed record ColdStartResult(string Build, double StartMs, ResidentMemory Idle, int Runs);

internal sealed record MemoryResult(string Build, double IdlePeakMiB, double OneRequestPeakMiB, double FourRequestsPeakMiB, int Runs);

/// <summary>Cold start and idle RSS; peak RSS while serving the classic request.</summary>
internal static class StartupAndMemory
{
    public static async Task<ColdStartResult> ColdStartAsync(string build, string servicePath, int runs)
    {
        var starts = new List<double>();
        var memory = new List<ResidentMemory>();
        for (var run = 0; run < runs; run++)
        {
            using var service = ServiceProcess.Start(servicePath);
            starts.Add((await service.WaitUntilReadyAsync(seconds: 60, pollMilliseconds: 1)).TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(2)); // let start-up work settle
            memory.Add(service.Memory());
        }

        double Median(Func<ResidentMemory, double> part) => Stats.Median(memory.Select(part));
        var idle = new ResidentMemory(Median(m => m.TotalMiB), Median(m => m.AnonymousMiB), Median(m => m.FileMiB), Median(m => m.SharedMiB));
        return new ColdStartResult(build, Stats.Median(starts), idle, runs);
    }

    /// <summary>VmHWM (peak RSS) after the default request (35 x A(3,11)), then after four of them at once.</summary>
    public static async Task<MemoryResult> PeakAsync(string build, string servicePath, int runs)
    {
        var idle = new List<double>();
        var one = new List<double>();
        var four = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var service = ServiceProcess.Start(servicePath);
            await service.WaitUntilReadyAsync(seconds: 60);
            using var client = Hello.Client(service.AppUri, 4);
            idle.Add(service.PeakRssMiB);
            await Hello.GetAsync(client, "");
            one.Add(service.PeakRssMiB);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Hello.GetAsync(client, "")));
            four.Add(service.PeakRssMiB);
        }

        return new MemoryResult(build, Stats.Median(idle), Stats.Median(one), Stats.Median(four), runs);
    }
}
