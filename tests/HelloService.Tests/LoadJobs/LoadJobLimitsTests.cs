using System.Net;

using HelloService.Burn;
using HelloService.Hosting;
using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;
using HelloService.Workers;

using Microsoft.Extensions.Logging.Abstractions;

namespace HelloService.Tests.LoadJobs;

/// <summary>What holds load jobs in: the shared worker budget, the job limit, retention, shutdown, the key.</summary>
// Load jobs burn real CPU: the classes that run them in-process take turns, so none measures another's load.
[Collection("in-process load jobs")]
public class LoadJobLimitsTests
{
    private static HelloServiceApp SmallApp(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["HelloWorld:MaxBusyWorkers"] = "3",
            ["HelloWorld:MaxLoadJobs"] = "2",
            ["HelloWorld:AdmissionWaitMilliseconds"] = "100",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new HelloServiceApp(settings).Started();
    }

    [Fact]
    public async Task JobsAndRequestsTogetherNeverExceedTheWorkerBudget()
    {
        using var app = SmallApp();
        using var client = app.App();
        var budget = app.Get<WorkerBudget>();
        var max = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                max = Math.Max(max, app.Get<BurnScheduler>().BusyWorkers); // requests' and jobs' workers alike
                await Task.Delay(1, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);

        // A 2-worker job (when the machine has 2 processors) leaves one worker for requests.
        var jobWorkers = Math.Min(2, Environment.ProcessorCount);
        var id = (await client.StartJobAsync(jobWorkers * 1000, 30)).GetProperty("id").GetInt64();
        using (var tooWide = await client.GetAsync($"/hello-world?m=5&count=4&parallelism={4 - jobWorkers}", TestContext.Current.CancellationToken))
        {
            await tooWide.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(tooWide.Headers.RetryAfter);
        }

        using (var fits = await client.GetAsync($"/hello-world?m=5&count=4&parallelism={3 - jobWorkers}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        }

        // A second job that needs more than is left is refused whole, with Retry-After.
        using (var second = await client.PostAsync($"/load/cpu?millicores={((3 - jobWorkers) * 1000) + 1}&seconds=5", null, TestContext.Current.CancellationToken))
        {
            var problem = await second.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Over capacity", problem.GetProperty("title").GetString());
            Assert.NotNull(second.Headers.RetryAfter);
        }

        // A change that needs more workers than are free is refused too, and the job keeps its target.
        if (jobWorkers == 2)
        {
            using var lower = await client.PatchAsync($"/load/{id}?millicores=500", null, TestContext.Current.CancellationToken);
            lower.EnsureSuccessStatusCode();
            await BurnSchedulerTests.WaitUntil(() => budget.Reserved == 1, seconds: 5);
            await client.StartJobAsync(1000, 30);
            using var holding = new CancellationTokenSource();
            var request = client.GetAsync("/hello-world?m=12&count=100&parallelism=1", holding.Token);
            await BurnSchedulerTests.WaitUntil(() => budget.Reserved == 3, seconds: 10);

            using var raise = await client.PatchAsync($"/load/{id}?millicores=2000", null, TestContext.Current.CancellationToken);

            await raise.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(raise.Headers.RetryAfter);
            Assert.Equal(500, (await client.JobAsync(id)).GetProperty("millicores").GetInt32());
            Assert.Equal(1, (await client.JobAsync(id)).GetProperty("workers").GetInt32());
            await holding.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        await sampling.CancelAsync();
        await sampler;
        await app.StopAllJobsAsync();
        Assert.InRange(max, 1, budget.Capacity);

        // The cancelled request gives its worker back once the server has seen the client go.
        await BurnSchedulerTests.WaitUntil(() => budget.Reserved == 0, seconds: 10);
    }

    [Fact]
    public async Task AtMostMaxLoadJobsRunAtOnce()
    {
        using var app = SmallApp();
        using var client = app.App();
        await client.StartJobAsync(10, 30);
        await client.StartJobAsync(10, 30);

        using var third = await client.PostAsync("/load/cpu?millicores=10&seconds=30", null, TestContext.Current.CancellationToken);

        var problem = await third.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("HelloWorld__MaxLoadJobs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(third.Headers.RetryAfter);
        await app.StopAllJobsAsync();
    }

    [Fact]
    public async Task FinishedJobsAreForgottenBeyondTheNewestKeptAndAfterTheirTime()
    {
        var observer = new NullObservers();
        using var registry = new LoadJobRegistry(new WorkerThreads(new WorkerBudget(4, 0), observer, new WorkerThreads.Settings(0, 1 << 20), NullLogger<WorkerThreads>.Instance), observer,
            new LoadJobRegistry.Limits(MaxJobs: 2, MaxSeconds: 60, KeepFinished: 3, KeepFinishedFor: TimeSpan.FromSeconds(2), AdmissionWait: TimeSpan.Zero),
            CancellationToken.None);

        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var started = Assert.IsType<LoadJobStart.Started>(await registry.StartAsync(10, 60, TestContext.Current.CancellationToken));
            ids.Add(started.Job.Id);
            started.Job.Stop(LoadJobState.Cancelled);
            await started.Job.ThreadsEnded.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        Assert.Equal(ids[3..], registry.All().Select(j => j.Id));
        Assert.Null(registry.Find(ids[0]));

        await BurnSchedulerTests.WaitUntil(() => registry.All().Count == 0, seconds: 20);
        Assert.Equal(0, registry.Budget.Reserved);
    }

    [Fact]
    public async Task ShutdownStopsEveryJobAndRefusesNewOnes()
    {
        using var app = SmallApp();
        using var client = app.App();
        var first = (await client.StartJobAsync(300, 60)).GetProperty("id").GetInt64();
        var second = (await client.StartJobAsync(200, 60)).GetProperty("id").GetInt64();

        app.Get<ShutdownSignal>().StopBurning();

        var registry = app.Get<LoadJobRegistry>();
        foreach (var id in new[] { first, second })
        {
            var job = registry.Find(id)!;
            Assert.Equal(LoadJobState.Cancelled, job.State);
            await job.ThreadsEnded.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, app.Get<WorkerBudget>().Reserved);
        using var late = await client.PostAsync("/load/cpu?millicores=100&seconds=5", null, TestContext.Current.CancellationToken);
        var problem = await late.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Shutting down", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheApiKeyRuleOfHelloWorldAppliesToLoad()
    {
        using var app = SmallApp(("HelloWorld:ApiKey", "load-key-0123456789"));
        using var client = app.App();

        using var missing = await client.PostAsync("/load/cpu?millicores=100&seconds=5", null, TestContext.Current.CancellationToken);
        await missing.ProblemAsync(HttpStatusCode.Unauthorized);
        using var list = await client.GetAsync("/load", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Empty(app.Get<LoadJobRegistry>().All());

        client.DefaultRequestHeaders.Add("X-Api-Key", "load-key-0123456789");
        await client.StartJobAsync(100, 5);
        await app.StopAllJobsAsync();
    }

    [Fact]
    public async Task ReadinessDoesNotDependOnJobs()
    {
        using var app = SmallApp();
        using var client = app.App();
        using var management = app.Management();
        await client.StartJobAsync(Math.Min(2, Environment.ProcessorCount) * 1000, 30);

        using var ready = await management.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await app.StopAllJobsAsync();
    }
}
