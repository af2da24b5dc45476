using System.Net;

using HelloService.Burn;
using HelloService.Tests.Ackermann;

using Microsoft.Extensions.Hosting;

namespace HelloService.Tests.Hosting;

public class ShutdownTests
{
    [Fact]
    public async Task ReadinessTurns503AtShutdownWhileTheDrainStillServesAndBurnsEndWith503()
    {
        using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["Server:DrainSeconds"] = "2",
            ["Server:ShutdownTimeoutSeconds"] = "10",
        }).Started();
        using var client = app.App();
        using var management = app.Management();
        var scheduler = app.Get<BurnScheduler>();
        var heavy = client.GetAsync("/hello-world?m=14&count=2&parallelism=2", TestContext.Current.CancellationToken);
        await BurnSchedulerTests.WaitUntil(() => scheduler.BusyWorkers == 2);

        var signal = app.Get<HelloService.Hosting.ShutdownSignal>();
        var stopping = Task.Run(() => app.Get<IHost>().StopAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await BurnSchedulerTests.WaitUntil(() => signal.IsShuttingDown);

        // During the drain: not ready, but still alive and still serving.
        using (var ready = await management.GetAsync("/healthz/ready", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var live = await management.GetAsync("/healthz/live", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using (var light = await client.GetAsync("/hello-world?m=3&count=1", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, light.StatusCode);
        }

        // After the drain the burn is cancelled and its client told so, not dropped.
        using var response = await heavy.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Shutting down", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        await stopping.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(0, scheduler.BusyWorkers);
    }
}
