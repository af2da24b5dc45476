using System.Diagnostics;

using HelloService.Testing;

namespace HelloService.Perf;

internal sealed record SaturationResult(int Parallelism, double Ratio, double WallSeconds, double OthersShare, int Runs);

/// <summary>
/// Saturation: process CPU seconds / (wall seconds x min(P, cores)) over one
/// 35 x A(3,11) request at parallelism P, from /proc/PID/stat before and after.
/// </summary>
internal static class Saturation
{
    /// <summary>Computations per measured request: the service's default count.</summary>
    public const int Count = 35;

    public static async Task<List<SaturationResult>> MeasureAsync(string servicePath, int runs)
    {
        var cores = Environment.ProcessorCount;
        var levels = Enumerable.Range(1, cores).Append(2 * cores).ToList();
        using var service = ServiceProcess.Start(servicePath);
        await service.WaitUntilReadyAsync();
        using var client = Hello.Client(service.AppUri);
        await Hello.GetAsync(client, $"count={cores}&parallelism={cores}&n=3&m=11"); // warm-up

        var results = new List<SaturationResult>();
        foreach (var p in levels)
        {
            var ratios = new List<double>();
            var walls = new List<double>();
            var others = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var cpuBefore = ProcFs.ProcessCpu(service.Id);
                var machineBefore = ProcFs.MachineBusy();
                var started = Stopwatch.GetTimestamp();
                await Hello.GetAsync(client, $"count={Count}&parallelism={p}&n=3&m=11");
                var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var cpu = (ProcFs.ProcessCpu(service.Id) - cpuBefore).TotalSeconds;
                var machine = (ProcFs.MachineBusy() - machineBefore).TotalSeconds;
                ratios.Add(cpu / (wall * Math.Min(p, cores)));
                walls.Add(wall);
                others.Add(Math.Max(0, machine - cpu) / (wall * cores));
            }

            results.Add(new SaturationResult(p, Stats.Median(ratios), Stats.Median(walls), Stats.Median(others), runs));
        }

        return results;
    }
}
