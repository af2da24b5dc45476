using System.Diagnostics;
using System.Net;

using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;

namespace HelloService.Tests.LoadJobs;

/// <summary>The <c>/load</c> endpoints over real sockets: start, list, get, change, stop, bad input.</summary>
// Load jobs burn real CPU: the classes that run them in-process take turns, so none measures another's load.
[Collection("in-process load jobs")]
public class LoadJobEndpointTests(AppFixture<LoadJobEndpointTests> fixture) : IClassFixture<AppFixture<LoadJobEndpointTests>>, IAppSettings, IAsyncLifetime
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["HelloWorld:MaxBusyWorkers"] = "8",
        ["HelloWorld:MaxLoadSeconds"] = "120",
        ["HelloWorld:AdmissionWaitMilliseconds"] = "0",
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.StopAllJobsAsync();

    /// <summary>Once, /status and /info said 0 busy workers while jobs held every one and /hello-world answered 503.</summary>
    [Fact]
    public async Task StatusAndInfoCountJobWorkersAsBusyAndSayHowManyJobsHold()
    {
        using var client = _app.App();
        using var management = _app.Management();
        await client.StartJobAsync(Math.Min(2, Environment.ProcessorCount) * 1000, 30);
        var held = Math.Min(2, Environment.ProcessorCount);

        await BurnSchedulerTests.WaitUntil(() => _app.Get<HelloService.Burn.BurnScheduler>().BusyWorkers == held);
        using var status = await client.GetAsync("/status", TestContext.Current.CancellationToken);
        using var info = await management.GetAsync("/info", TestContext.Current.CancellationToken);

        foreach (var workers in new[] { (await status.JsonAsync(HttpStatusCode.OK)).GetProperty("workers"), (await info.JsonAsync(HttpStatusCode.OK)).GetProperty("workers") })
        {
            Assert.Equal(held, workers.GetProperty("busy").GetInt32());
            Assert.Equal(held, workers.GetProperty("heldByJobs").GetInt32());
        }
    }

    [Fact]
    public async Task PostStartsAJobAndAnswers202WithItsLocationAndFigures()
    {
        using var client = _app.App();

        var job = await client.StartJobAsync(300, 30);

        Assert.Equal(300, job.GetProperty("millicores").GetInt32());
        Assert.Equal(30, job.GetProperty("seconds").GetInt32());
        Assert.Equal("running", job.GetProperty("state").GetString());
        Assert.Equal(1, job.GetProperty("workers").GetInt32());
        Assert.Equal(Environment.MachineName, job.GetProperty("host").GetString());
        var started = job.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal(started.AddSeconds(30), job.GetProperty("endsAt").GetDateTimeOffset());
        Assert.True(job.GetProperty("achievedMillicores").TryGetProperty("last1s", out _));
        Assert.True(job.GetProperty("achievedMillicores").TryGetProperty("last10s", out _));
    }

    [Fact]
    public async Task GetShowsTheJobBurningAndListShowsItAmongTheOthers()
    {
        using var client = _app.App();
        var id = (await client.StartJobAsync(500, 30)).GetProperty("id").GetInt64();

        await BurnSchedulerTests.WaitUntil(() => client.JobAsync(id).GetAwaiter().GetResult().GetProperty("cpuMs").GetDouble() > 5, seconds: 20);
        var list = await (await client.GetAsync("/load", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.Contains(list.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("id").GetInt64() == id && j.GetProperty("state").GetString() == "running");
        Assert.True(list.GetProperty("running").GetInt32() >= 1);
        Assert.Equal(Environment.ProcessorCount * 1000, list.GetProperty("maxMillicores").GetInt32());
        Assert.Equal(120, list.GetProperty("maxSeconds").GetInt32());
    }

    [Fact]
    public async Task PatchChangesTheTargetAndTheWorkersAtOnce()
    {
        Assert.SkipWhen(Environment.ProcessorCount < 2, "needs 2 processors for a 2-worker target");
        using var client = _app.App();
        var id = (await client.StartJobAsync(200, 30)).GetProperty("id").GetInt64();

        using var up = await client.PatchAsync($"/load/{id}?millicores=1500", null, TestContext.Current.CancellationToken);
        var raised = await up.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1500, raised.GetProperty("millicores").GetInt32());
        Assert.Equal(2, raised.GetProperty("workers").GetInt32());
        Assert.Equal(2, _app.Get<LoadJobRegistry>().Find(id)!.LiveThreads);

        using var down = await client.PatchAsync($"/load/{id}?millicores=100", null, TestContext.Current.CancellationToken);
        var lowered = await down.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(100, lowered.GetProperty("millicores").GetInt32());
        Assert.Equal(1, lowered.GetProperty("workers").GetInt32());
        await BurnSchedulerTests.WaitUntil(() => _app.Get<LoadJobRegistry>().Find(id)!.LiveThreads == 1, seconds: 5);
    }

    [Fact]
    public async Task DeleteStopsTheJobAndItsWorkersAreIdleWhenItAnswers()
    {
        using var client = _app.App();
        var id = (await client.StartJobAsync(Environment.ProcessorCount * 1000, 60)).GetProperty("id").GetInt64();
        var job = _app.Get<LoadJobRegistry>().Find(id)!;
        await BurnSchedulerTests.WaitUntil(() => job.CpuTime > TimeSpan.FromMilliseconds(5), seconds: 20);

        var stopwatch = Stopwatch.StartNew();
        using var response = await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken);
        var answered = stopwatch.Elapsed;
        var stopped = await response.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("cancelled", stopped.GetProperty("state").GetString());
        Assert.Equal(0, stopped.GetProperty("workers").GetInt32());
        Assert.Equal(0, job.LiveThreads);
        Assert.Equal(0, job.LiveThreads);
        Assert.True(answered < TimeSpan.FromSeconds(2), $"DELETE took {answered.TotalMilliseconds:F0} ms");
        Figures.Report($"DELETE of a {Environment.ProcessorCount * 1000}m job answered, workers idle, after {answered.TotalMilliseconds:F1} ms");

        // A stopped job stays visible, and cannot be changed any more.
        Assert.Equal("cancelled", (await client.JobAsync(id)).GetProperty("state").GetString());
        using var patch = await client.PatchAsync($"/load/{id}?millicores=100", null, TestContext.Current.CancellationToken);
        await patch.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AJobCompletesAfterItsSeconds()
    {
        using var client = _app.App();
        var id = (await client.StartJobAsync(100, 1)).GetProperty("id").GetInt64();

        await BurnSchedulerTests.WaitUntil(() => client.JobAsync(id).GetAwaiter().GetResult().GetProperty("state").GetString() == "completed", seconds: 10);

        var job = await client.JobAsync(id);
        Assert.Equal(0, job.GetProperty("workers").GetInt32());
        Assert.True(job.GetProperty("endedAt").GetDateTimeOffset() >= job.GetProperty("endsAt").GetDateTimeOffset().AddMilliseconds(-50));
    }

    [Theory]
    [InlineData("POST", "/load/cpu", new[] { "millicores", "seconds" })]
    [InlineData("POST", "/load/cpu?millicores=0&seconds=10", new[] { "millicores" })]
    [InlineData("POST", "/load/cpu?millicores=100&seconds=121", new[] { "seconds" })]
    [InlineData("POST", "/load/cpu?millicores=99999&seconds=0", new[] { "millicores", "seconds" })]
    [InlineData("POST", "/load/cpu?millicores=1.5&seconds=-1", new[] { "millicores", "seconds" })]
    [InlineData("POST", "/load/cpu?millicores=100&millicores=200&seconds=5", new[] { "millicores" })]
    [InlineData("POST", "/load/cpu?millicores=100&seconds=5&cores=2", new[] { "cores" })]
    [InlineData("GET", "/load?verbose=1", new[] { "verbose" })]
    [InlineData("GET", "/load/abc", new[] { "id" })]
    [InlineData("GET", "/load/0", new[] { "id" })]
    [InlineData("GET", "/load/1/events?x=1", new[] { "x" })]
    [InlineData("PATCH", "/load/1", new[] { "millicores" })]
    [InlineData("PATCH", "/load/x?millicores=nope", new[] { "id", "millicores" })]
    [InlineData("DELETE", "/load/-3", new[] { "id" })]
    public async Task BadInputIsABadRequestNamingEveryOffendingParameter(string method, string url, string[] offending)
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(offending.Order(), problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("GET", "/load/987654")]
    [InlineData("PATCH", "/load/987654?millicores=100")]
    [InlineData("DELETE", "/load/987654")]
    [InlineData("GET", "/load/987654/events")]
    public async Task AnUnknownJobIsNotFoundWithProblemDetails(string method, string url)
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("987654", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadIsServedOnTheAppPortOnly()
    {
        using var management = _app.Management();
        using var response = await management.PostAsync("/load/cpu?millicores=100&seconds=5", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(_app.Get<LoadJobRegistry>().All(), j => j.IsRunning);
    }

    [Fact]
    public async Task JobFiguresShowInTheLoadMetrics()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread CPU time is read on Linux only");
        using var client = _app.App();
        var before = await _app.MetricAsync("helloservice_load_cpu_seconds_total");
        var id = (await client.StartJobAsync(400, 30)).GetProperty("id").GetInt64();

        // The sampler sets the gauges one after the other: a scrape may fall between two of them.
        await BurnSchedulerTests.WaitUntil(
            () => _app.MetricAsync("helloservice_load_jobs_running").GetAwaiter().GetResult() == 1
                && _app.MetricAsync("helloservice_load_target_millicores").GetAwaiter().GetResult() == 400,
            seconds: 5);
        await BurnSchedulerTests.WaitUntil(() => _app.MetricAsync("helloservice_load_cpu_seconds_total").GetAwaiter().GetResult() > before + 0.005, seconds: 20);
        using var stop = await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken);
        stop.EnsureSuccessStatusCode();
        await BurnSchedulerTests.WaitUntil(() => _app.MetricAsync("helloservice_load_jobs_running").GetAwaiter().GetResult() == 0, seconds: 5);
        Assert.Equal(0, await _app.MetricAsync("helloservice_load_target_millicores"));
    }

    [Fact]
    public async Task IfMatchWithAnotherJobsTagChangesNothingAndTheRightTagStopsTheJob()
    {
        using var client = _app.App();
        using var started = await client.PostAsync("/load/cpu?millicores=100&seconds=30", null, TestContext.Current.CancellationToken);
        var tag = started.Headers.ETag?.Tag;
        var id = (await started.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetInt64();
        Assert.NotNull(tag);
        // The tag names the job while its figures change: no cache may keep an answer under it.
        Assert.True(started.Headers.CacheControl?.NoStore, started.Headers.CacheControl?.ToString());

        // Another instance's job of the same id (ids count from 1 on every pod) has another tag.
        foreach (var method in new[] { HttpMethod.Delete, HttpMethod.Get, HttpMethod.Patch })
        {
            using var request = new HttpRequestMessage(method, method == HttpMethod.Patch ? $"/load/{id}?millicores=200" : $"/load/{id}");
            request.Headers.TryAddWithoutValidation("If-Match", "\"0123456789abcdef-1\"");
            using var refused = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var problem = await refused.ProblemAsync(HttpStatusCode.PreconditionFailed);
            Assert.Contains("another instance", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var job = await client.JobAsync(id);
        Assert.Equal("running", job.GetProperty("state").GetString());
        Assert.Equal(100, job.GetProperty("millicores").GetInt32());
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/load/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", tag);
        using var stopped = await client.SendAsync(delete, TestContext.Current.CancellationToken);
        Assert.Equal("cancelled", (await stopped.JsonAsync(HttpStatusCode.OK)).GetProperty("state").GetString());
        Assert.Equal(tag, stopped.Headers.ETag?.Tag);
        Assert.True(stopped.Headers.CacheControl?.NoStore, stopped.Headers.CacheControl?.ToString());
    }
}
