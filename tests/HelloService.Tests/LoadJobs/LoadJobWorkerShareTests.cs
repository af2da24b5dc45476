using System.Net;

namespace HelloService.Tests.LoadJobs;

/// <summary>
/// Load jobs together hold at most HelloWorld__MaxLoadJobWorkersPercent of the worker budget, so
/// unauthenticated jobs cannot take every worker from /hello-world (issue 24, item 8).
/// </summary>
[Collection("in-process load jobs")]
public class LoadJobWorkerShareTests(AppFixture<LoadJobWorkerShareTests> fixture) : IClassFixture<AppFixture<LoadJobWorkerShareTests>>, IAppSettings
{
    private const int Budget = 8;
    private const int JobShare = 6; // the default 75 % of 8
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["HelloWorld:MaxBusyWorkers"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HelloWorld:MaxLoadJobs"] = "8",
        ["HelloWorld:AdmissionWaitMilliseconds"] = "0",
    };

    [Fact]
    public async Task JobsBeyondTheirShareOfTheBudgetAre503AndHelloWorldStillGetsWorkers()
    {
        using var client = _app.App();
        try
        {
            for (var i = 0; i < JobShare; i++)
            {
                await client.StartJobAsync(10, 60);
            }

            using var extra = await client.PostAsync("/load/cpu?millicores=10&seconds=60", null, TestContext.Current.CancellationToken);
            var problem = await extra.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("HelloWorld__MaxLoadJobWorkersPercent", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.NotNull(extra.Headers.RetryAfter);

            using var greeting = await client.GetAsync("/hello-world?count=2&m=1&parallelism=2", TestContext.Current.CancellationToken);
            await greeting.JsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            await _app.StopAllJobsAsync();
        }
    }

    [Fact]
    public async Task RaisingATargetBeyondTheShareIs503AndKeepsTheOldTarget()
    {
        using var client = _app.App();
        try
        {
            var id = (await client.StartJobAsync(10, 60)).GetProperty("id").GetInt64();
            for (var i = 1; i < JobShare; i++)
            {
                await client.StartJobAsync(10, 60);
            }

            using var raise = await client.PatchAsync($"/load/{id}?millicores=1500", null, TestContext.Current.CancellationToken);
            var problem = await raise.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("HelloWorld__MaxLoadJobWorkersPercent", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(10, (await client.JobAsync(id)).GetProperty("millicores").GetInt32());
        }
        finally
        {
            await _app.StopAllJobsAsync();
        }
    }

    [Fact]
    public async Task ATargetThatCouldNeverFitTheShareIs400NamingTheSetting()
    {
        // 12 % of 8 workers: one worker, so 1001 millicores could never be admitted.
        await using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["HelloWorld:MaxBusyWorkers"] = "8",
            ["HelloWorld:MaxLoadJobWorkersPercent"] = "12",
        }).Started();
        using var client = app.App();

        using var response = await client.PostAsync("/load/cpu?millicores=1001&seconds=5", null, TestContext.Current.CancellationToken);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("HelloWorld__MaxLoadJobWorkersPercent", problem.GetProperty("errors").GetProperty("millicores")[0].GetString(), StringComparison.Ordinal);
        await app.StopAllJobsAsync();
    }
}
