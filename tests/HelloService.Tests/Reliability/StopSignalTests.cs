using System.Diagnostics;
using System.Net;

namespace HelloService.Tests.Reliability;

/// <summary>Signals other than a single SIGTERM: a second signal, SIGHUP, and what the drain logs.</summary>
[Trait("Category", "Slow")]
public class StopSignalTests
{
    [Fact]
    public async Task SecondSigtermSkipsTheDrain()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["Server__DrainSeconds"] = "30",
            ["Server__ShutdownTimeoutSeconds"] = "60",
        });
        using var management = service.Management();

        service.Terminate();
        await Ackermann.BurnSchedulerTests.WaitUntil(() => GracefulShutdownTests.StatusOf(management, "/healthz/ready") == HttpStatusCode.ServiceUnavailable, seconds: 5);
        var stopwatch = Stopwatch.StartNew();
        service.Terminate();

        // Well under the 30 s drain (about 0.1 s expected).
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the second SIGTERM did not skip the drain");
        Figures.Report($"second SIGTERM: exited {stopwatch.Elapsed.TotalMilliseconds:F0} ms after it");
        Assert.Equal(0, service.ExitCode);
    }

    [Fact]
    public async Task SighupShutsDownGracefullyInsteadOfKillingTheProcess()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Server__DrainSeconds"] = "1" });

        Signal(service, "HUP");

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(15)), "the service did not exit");
        Assert.True(service.ExitCode == 0, $"exit code {service.ExitCode}:\n{service.Output}");
        Assert.Contains("draining for 1 s", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadinessProbesDuringTheDrainAreNotLoggedAsErrors()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are sent with kill(1)");
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Server__DrainSeconds"] = "2" });
        using var management = service.Management();

        service.Terminate();
        var unready = 0;
        var watching = Stopwatch.StartNew();
        // Five unready answers take about 0.25 s of the 2 s drain; a service that stops answering first must not hang the test.
        while (unready < 5)
        {
            Assert.True(watching.Elapsed < TimeSpan.FromSeconds(10), $"{unready} unready answers in 10 s:\n{service.Output}");
            if (GracefulShutdownTests.StatusOf(management, "/healthz/ready") == HttpStatusCode.ServiceUnavailable)
            {
                unready++;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(15)), "the service did not exit");
        Assert.DoesNotContain("fail:", service.Output, StringComparison.Ordinal);
        Assert.Single(service.Output.Split('\n'), line => line.Contains("not ready", StringComparison.Ordinal));
    }

    private static void Signal(ServiceProcess service, string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.WaitForExit(10_000), "kill(1) did not return");
    }
}
