namespace HelloService.Perf;

internal sealed record ColdStartResult(string Build, double StartMs, double IdleRssMb, int Runs);

internal sealed record MemoryResult(string Build, double IdlePeakMb, double OneRequestPeakMb, double FourRequestsPeakMb, int Runs);

/// <summary>5. Cold start and idle RSS; 6. peak RSS while serving the classic request.</summary>
internal static class StartupAndMemory
{
    private const double Mb = 1024 * 1024;

    public static async Task<ColdStartResult> ColdStartAsync(string build, string servicePath, int runs)
    {
        var starts = new List<double>();
        var rss = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var service = ServerProcess.StartService(servicePath);
            starts.Add((await service.WaitUntilReadyAsync()).TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(2)); // let start-up work settle
            rss.Add(ProcFs.StatusBytes(service.Id, "VmRSS") / Mb);
        }

        return new ColdStartResult(build, Stats.Median(starts), Stats.Median(rss), runs);
    }

    /// <summary>VmHWM (peak RSS) after the default request (35 x A(3,11)), then after four of them at once.</summary>
    public static async Task<MemoryResult> PeakAsync(string build, string servicePath, int runs)
    {
        var idle = new List<double>();
        var one = new List<double>();
        var four = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var service = ServerProcess.StartService(servicePath);
            await service.WaitUntilReadyAsync();
            using var client = Hello.Client(service.AppUri, 4);
            idle.Add(ProcFs.StatusBytes(service.Id, "VmHWM") / Mb);
            await Hello.GetAsync(client, "");
            one.Add(ProcFs.StatusBytes(service.Id, "VmHWM") / Mb);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Hello.GetAsync(client, "")));
            four.Add(ProcFs.StatusBytes(service.Id, "VmHWM") / Mb);
        }

        return new MemoryResult(build, Stats.Median(idle), Stats.Median(one), Stats.Median(four), runs);
    }
}
