using System.Net;
using System.Text.Json;

namespace HelloService.Tests.Management;

public class ManagementEndpointTests(AppFixture<ManagementEndpointTests> fixture) : IClassFixture<AppFixture<ManagementEndpointTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["HelloWorld:MaxBusyWorkers"] = "6",
        ["HelloWorld:MaxCount"] = "500",
        ["HelloWorld:WorkerNice"] = "5",
    };

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task HealthEndpointsAreHealthy(string path)
    {
        using var client = _app.Management();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InfoShowsRuntimeEffectiveSettingsAndWorkers()
    {
        using var client = _app.Management();
        var info = await (await client.GetAsync("/info", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(info.GetProperty("version").GetString()));
        Assert.Equal(Environment.MachineName, info.GetProperty("host").GetString());
        Assert.Equal(Environment.ProcessorCount, info.GetProperty("processorCount").GetInt32());
        Assert.Contains(info.GetProperty("gc").GetProperty("mode").GetString(), new[] { "workstation", "server" });
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), info.GetProperty("architecture").GetString());
        var defaults = info.GetProperty("defaults");
        Assert.Equal("Stranger", defaults.GetProperty("name").GetString());
        Assert.Equal(4, defaults.GetProperty("count").GetInt32());
        Assert.Equal(6, defaults.GetProperty("m").GetInt32());
        var limits = info.GetProperty("limits");
        Assert.Equal(500, limits.GetProperty("maxCount").GetInt32());
        Assert.Equal(6, limits.GetProperty("maxParallelism").GetInt32()); // the budget caps MaxParallelism (64)
        Assert.Equal(14, limits.GetProperty("maxM").GetInt32());
        Assert.Equal(300, limits.GetProperty("maxRequestSeconds").GetInt32());
        var workers = info.GetProperty("workers");
        Assert.Equal(6, workers.GetProperty("max").GetInt32());
        Assert.Equal(5, workers.GetProperty("nice").GetInt32());
        Assert.Equal(JsonValueKind.Number, workers.GetProperty("busy").ValueKind);
    }

    [Fact]
    public async Task MetricsExposeTheServiceSeriesAndCountersMoveAfterARequest()
    {
        using var management = _app.Management();
        using var client = _app.App();
        var before = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        using var response = await client.GetAsync("/hello-world?n=3&m=5&count=3&parallelism=1", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        foreach (var name in new[]
        {
            "helloservice_ackermann_computations_total", "helloservice_ackermann_calls_total",
            "helloservice_ackermann_computation_duration_seconds", "helloservice_workers_busy", "helloservice_workers_max",
            "helloservice_requests_rejected_total", "http_request_duration_seconds", "process_cpu_seconds_total",
            "microsoft_aspnetcore_server_kestrel_kestrel_active_connections", "microsoft_aspnetcore_memorypool_aspnetcore_memory_pool_rented",
        })
        {
            Assert.Contains($"# TYPE {name} ", after, StringComparison.Ordinal);
        }

        const string completed = "helloservice_ackermann_computations_total{outcome=\"completed\"}";
        // The app's own registry: exact, whatever other test classes run alongside.
        Assert.Equal(Http.Sample(before, completed) + 3, Http.Sample(after, completed));
        Assert.Equal(Http.Sample(before, "helloservice_ackermann_calls_total") + (3 * 42_438), Http.Sample(after, "helloservice_ackermann_calls_total"));
        Assert.Equal(
            Http.Sample(before, "helloservice_ackermann_computation_duration_seconds_count") + 3,
            Http.Sample(after, "helloservice_ackermann_computation_duration_seconds_count"));
        Assert.Equal(6, Http.Sample(after, "helloservice_workers_max"));
        Assert.Contains("endpoint=\"/hello-world\"", after, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task MetricsPassPromtool()
    {
        var promtool = Observability.ToolRun.Require("promtool", "apt-get install prometheus");
        using var management = _app.Management();
        using var client = _app.App();
        using var _ = await client.GetAsync("/hello-world?m=4&count=2", TestContext.Current.CancellationToken);
        var text = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var run = await Observability.ToolRun.RunAsync(promtool, ["check", "metrics"], TimeSpan.FromSeconds(60), stdin: text);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task EachInstanceExportsOnlyItsOwnFigures()
    {
        using var other = new HelloServiceApp(new Dictionary<string, string?> { ["HelloWorld:MaxBusyWorkers"] = "3" }).Started();
        var ours = await _app.MetricAsync("helloservice_greetings_total");
        using var client = other.App();

        using var response = await client.GetAsync("/hello-world?count=1&m=3", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await other.MetricAsync("helloservice_greetings_total"));
        Assert.Equal(1, await other.MetricAsync("helloservice_ackermann_computations_total{outcome=\"completed\"}"));
        Assert.Equal(3, await other.MetricAsync("helloservice_workers_max"));
        Assert.Equal(ours, await _app.MetricAsync("helloservice_greetings_total"));
        Assert.Equal(6, await _app.MetricAsync("helloservice_workers_max"));
    }
}
