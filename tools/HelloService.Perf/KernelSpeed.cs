namespace HelloService.Perf;

internal sealed record KernelResult(string Build, double NsPerCall, double CpuMs, double ElapsedMs, int Runs);

/// <summary>
/// 1. The kernel: one A(3,11) per request on one worker of the real service, timed by the
/// service itself (the worker thread's CPU time, cpuMs, and wall time, elapsedMs).
/// </summary>
internal static class KernelSpeed
{
    public const string Query = "count=1&parallelism=1&n=3&m=11";

    public static async Task<KernelResult> MeasureAsync(string build, string servicePath, int runs)
    {
        using var service = ServerProcess.StartService(servicePath);
        await service.WaitUntilReadyAsync();
        using var client = Hello.Client(service.AppUri);

        // Warm-up: lets tiered compilation reach its final code in the JIT build.
        for (var i = 0; i < 3; i++)
        {
            await Hello.GetAsync(client, Query);
        }

        var burns = new List<Burn>();
        for (var i = 0; i < runs; i++)
        {
            burns.Add(await Hello.GetAsync(client, Query));
        }

        var cpuMs = Stats.Median(burns.Select(b => b.CpuMs ?? b.ElapsedMs));
        return new KernelResult(build, cpuMs * 1e6 / burns[0].Calls, cpuMs, Stats.Median(burns.Select(b => b.ElapsedMs)), runs);
    }
}
