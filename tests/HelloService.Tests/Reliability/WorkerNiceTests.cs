using HelloService.Tests.LoadJobs;

namespace HelloService.Tests.Reliability;

/// <summary>
/// The nice value the running process really gave its worker threads, read from
/// /proc/PID/task/TID/stat: a failed setpriority is only logged, so only this catches it.
/// </summary>
[Trait("Category", "Slow")]
public class WorkerNiceTests
{
    [Theory]
    [InlineData(null, 19)] // the default
    [InlineData("12", 12)]
    public async Task RequestAndLoadJobWorkersRunAtTheConfiguredNiceValue(string? setting, int expected)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "nice values are read from /proc on Linux only");
        using var service = await ServiceProcess.StartReadyAsync(setting is null ? null : new Dictionary<string, string> { ["HelloWorld__WorkerNice"] = setting });
        using var client = service.App();
        using var management = service.Management();
        using var abort = new CancellationTokenSource();
        var burn = client.GetAsync("/hello-world?m=14&count=2&parallelism=2", abort.Token);
        await GracefulShutdownTests.WaitForBusyWorkers(management, 2);
        await client.StartJobAsync(300, 30);
        await Ackermann.BurnSchedulerTests.WaitUntil(() => Nices(service.Id).Count >= 3);

        var nices = Nices(service.Id);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => burn);

        // Two request workers and one load job worker, all at the configured value.
        Assert.True(nices.Count >= 3 && nices.All(n => n == expected), $"nice values of the worker threads: {string.Join(", ", nices)}");
    }

    /// <summary>Request workers are named "ackermann", load job workers "load".</summary>
    private static List<int> Nices(int pid) =>
        [.. Ackermann.BurnSchedulerTests.WorkerThreadNices(pid), .. Ackermann.BurnSchedulerTests.WorkerThreadNices(pid, "load")];
}
