using System.Diagnostics;
using System.Net;

using HelloService.Tests.Ackermann;

namespace HelloService.Tests.LoadJobs;

/// <summary>Load jobs in the real process: signals, and a CPU quota as a pod's limit makes one.</summary>
[Trait("Category", "Slow")]
public class LoadJobProcessTests
{
    [Fact]
    public async Task SigtermDuringTwoJobsStopsThemAndExitsZeroAfterTheDrain()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Server__DrainSeconds"] = "1" });
        using var client = service.App();
        await client.StartJobAsync(600, 60);
        await client.StartJobAsync(300, 60);

        var stopwatch = Stopwatch.StartNew();
        service.Terminate();

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(20)), $"the service did not exit:\n{service.Output}");
        Assert.Equal(0, service.ExitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1 + 10), $"exit took {stopwatch.Elapsed}");
        Figures.Report($"SIGTERM during two load jobs, drain 1 s: exit 0 after {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task SigtermToAHoldingGeneratorDeletesItsJobAndExitsZero()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync();
        using var generator = ServiceProcess.StartGenerator(["--url", service.AppUri.ToString(), "--hold", "300m", "--duration", "60s"]);
        using var client = service.App();
        await BurnSchedulerTests.WaitUntil(() => generator.Output.Contains(" target ", StringComparison.Ordinal), seconds: 30);

        var stopwatch = Stopwatch.StartNew();
        generator.Terminate();

        Assert.True(await generator.WaitForExitAsync(TimeSpan.FromSeconds(20)), $"the generator did not exit:\n{generator.Output}");
        Assert.True(generator.ExitCode == 0, generator.Output);
        Assert.Contains("job 1 deleted after", generator.Output, StringComparison.Ordinal);
        Assert.Equal("cancelled", (await client.JobAsync(1)).GetProperty("state").GetString());
        await BurnSchedulerTests.WaitUntil(() => client.JobAsync(1).GetAwaiter().GetResult().GetProperty("workers").GetInt32() == 0);
        Figures.Report($"SIGTERM to load --hold: job deleted, exit 0 after {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task UnderA900mQuotaJobsAreLimitedToOneCoreAndReportWhatTheyAchieve()
    {
        var unavailable = CpuCgroup.Unavailable();
        Assert.SkipWhen(unavailable is not null, $"no CPU cgroup for this test: {unavailable}");
        using var group = CpuCgroup.Create("quota900", 900);
        using var service = await ServiceProcess.StartReadyAsync(cgroup: group.Path);
        using var client = service.App();

        // ProcessorCount is 1 under a 900m quota, so one worker and 1000m at most.
        using (var tooBig = await client.PostAsync("/load/cpu?millicores=1500&seconds=5", null, TestContext.Current.CancellationToken))
        {
            var problem = await tooBig.ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("from 1 to 1000", problem.GetProperty("errors").GetProperty("millicores")[0].GetString(), StringComparison.Ordinal);
        }

        var id = (await client.StartJobAsync(1000, 30)).GetProperty("id").GetInt64();
        await Task.Delay(3000, TestContext.Current.CancellationToken);
        var job = await client.JobAsync(id);

        // Thread CPU clocks count only time really run: the quota's shortfall shows, it is not papered over.
        var achieved = job.GetProperty("achievedMillicores").GetProperty("last1s").GetDouble();
        // (On a busy machine the neighbours, not the quota, may be what holds it back.)
        Assert.InRange(achieved, 1, 950);
        using var stop = await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken);
        Figures.Report($"1000m job under a 900m quota reports {achieved:F0}m over the last second; {group.NrThrottled()} periods throttled");
    }
}
