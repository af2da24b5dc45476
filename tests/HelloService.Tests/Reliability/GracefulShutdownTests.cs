using System.Diagnostics;
using System.Net;

namespace HelloService.Tests.Reliability;

/// <summary>SIGTERM against the real process, as Kubernetes sends it at every scale-in and rollout.</summary>
[Trait("Category", "Slow")]
public class GracefulShutdownTests
{
    [Fact]
    public async Task SigtermDrainsThenCancelsBurnsAnswers503AndExitsZero()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["Server__DrainSeconds"] = "2",
            ["Server__ShutdownTimeoutSeconds"] = "15",
        });
        using var client = service.App();
        using var management = service.Management();
        var heavy = client.GetAsync("/hello-world?m=14&count=4&parallelism=2", TestContext.Current.CancellationToken);
        await WaitForBusyWorkers(management, 2);

        var stopwatch = Stopwatch.StartNew();
        service.Terminate();

        // Readiness fails at once; the app port keeps serving during the drain.
        await Ackermann.BurnSchedulerTests.WaitUntil(() => StatusOf(management, "/healthz/ready") == HttpStatusCode.ServiceUnavailable, seconds: 2);
        var readyFailedAfter = stopwatch.Elapsed;
        using (var light = await client.GetAsync("/hello-world?m=3&count=1", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, light.StatusCode);
        }

        // After the drain the burn is cancelled and its client gets a 503 problem, not a dropped connection.
        using var response = await heavy.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Shutting down", problem.GetProperty("title").GetString());
        var answeredAfter = stopwatch.Elapsed;

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the service did not exit");
        Assert.Equal(0, service.ExitCode);
        var exitedAfter = stopwatch.Elapsed;
        Assert.True(answeredAfter >= TimeSpan.FromSeconds(1.5), $"the burn was cancelled before the drain ended ({answeredAfter})");
        Assert.True(exitedAfter < TimeSpan.FromSeconds(15), $"exit took {exitedAfter}, beyond the shutdown timeout");
        Figures.Report(
            $"not ready after {readyFailedAfter.TotalMilliseconds:F0} ms, burn answered after {answeredAfter.TotalMilliseconds:F0} ms, exited after {exitedAfter.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task SigtermWhenIdleExitsZeroAfterTheDrain()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Server__DrainSeconds"] = "1" });

        service.Terminate();

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(15)), "the service did not exit");
        Assert.Equal(0, service.ExitCode);
        Assert.Contains("draining for 1 s", service.Output, StringComparison.Ordinal);
    }

    internal static HttpStatusCode? StatusOf(HttpClient client, string path)
    {
        try
        {
            using var response = client.GetAsync(path).GetAwaiter().GetResult();
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    internal static async Task WaitForBusyWorkers(HttpClient management, int atLeast)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            var metrics = await management.GetStringAsync("/metrics");
            if (Http.Sample(metrics, "helloservice_workers_busy") >= atLeast)
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"fewer than {atLeast} workers became busy");
    }
}
