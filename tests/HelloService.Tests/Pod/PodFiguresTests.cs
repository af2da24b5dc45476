using System.Globalization;
using System.Text.Json;

using HelloService.Testing;

namespace HelloService.Tests.Pod;

/// <summary>The pod's resources and usage in <c>/info</c> and <c>/metrics</c>, with the requests known and unknown.</summary>
public sealed class PodFiguresTests
{
    private const double MiB = 1024 * 1024;

    private static readonly Dictionary<string, string?> Known = new()
    {
        ["Pod:CpuRequestMillicores"] = "500",
        ["Pod:CpuLimitMillicores"] = "900",
        ["Pod:MemoryRequestMiB"] = "150",
        ["Pod:MemoryLimitMiB"] = "200",
        ["Pod:WindowSeconds"] = "5",
    };

    [Fact]
    public async Task InfoShowsTheResourcesTheWindowAndTheUsageNow()
    {
        await using var app = new HelloServiceApp(Known).Started();
        using var client = app.Management();

        using var info = JsonDocument.Parse(await client.GetStringAsync("/info", TestContext.Current.CancellationToken));
        var pod = info.RootElement.GetProperty("pod");

        Assert.Equal(500, pod.GetProperty("cpuRequestMillicores").GetInt32());
        Assert.Equal(900, pod.GetProperty("cpuLimitMillicores").GetInt32());
        Assert.Equal(150, pod.GetProperty("memoryRequestMiB").GetInt32());
        Assert.Equal(200, pod.GetProperty("memoryLimitMiB").GetInt32());
        Assert.Equal(5, pod.GetProperty("windowSeconds").GetInt32());
        var usage = pod.GetProperty("usage");
        Assert.Equal(500, usage.GetProperty("cpuRequestMillicores").GetInt32());
        Assert.True(usage.GetProperty("workingSetMiB").GetDouble() > 1);
        Assert.Equal(JsonValueKind.Number, usage.GetProperty("cpuUtilizationPercent").ValueKind);
    }

    /// <summary>Unset, and 0 (what the Downward API gives for a request that is not set), are both unknown: null, never made up.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    public async Task UnknownRequestsAreNullInInfoAndAbsentFromMetrics(string? value)
    {
        await using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["Pod:CpuRequestMillicores"] = value,
            ["Pod:MemoryRequestMiB"] = value,
        }).Started();
        using var client = app.Management();

        using var info = JsonDocument.Parse(await client.GetStringAsync("/info", TestContext.Current.CancellationToken));
        var metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var pod = info.RootElement.GetProperty("pod");

        foreach (var name in new[] { "cpuRequestMillicores", "cpuLimitMillicores", "memoryRequestMiB", "memoryLimitMiB" })
        {
            Assert.Equal(JsonValueKind.Null, pod.GetProperty(name).ValueKind);
        }

        Assert.Equal(JsonValueKind.Null, pod.GetProperty("usage").GetProperty("cpuUtilizationPercent").ValueKind);
        Assert.Equal(15, pod.GetProperty("windowSeconds").GetInt32());
        Assert.NotNull(PrometheusText.TryGet(metrics, "helloservice_pod_cpu_usage_millicores"));
        Assert.True(PrometheusText.Get(metrics, "helloservice_pod_working_set_bytes") > MiB);
        foreach (var absent in new[] { "cpu_request_millicores", "cpu_limit_millicores", "cpu_utilization_ratio", "memory_request_bytes", "memory_utilization_ratio" })
        {
            Assert.Null(PrometheusText.TryGet(metrics, $"helloservice_pod_{absent}"));
        }
    }

    [Fact]
    public async Task MetricsCarryTheResourcesAndAUtilizationThatFollowsTheBurn()
    {
        await using var app = new HelloServiceApp(Known).Started();
        using var management = app.Management();
        using var client = app.App();

        var before = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(500, PrometheusText.Get(before, "helloservice_pod_cpu_request_millicores"));
        Assert.Equal(900, PrometheusText.Get(before, "helloservice_pod_cpu_limit_millicores"));
        Assert.Equal(150 * MiB, PrometheusText.Get(before, "helloservice_pod_memory_request_bytes"));
        Assert.Equal(200 * MiB, PrometheusText.Get(before, "helloservice_pod_memory_limit_bytes"));

        // One second of burn within the 5 s window: at least ~200m over the window, whatever else runs.
        using var burn = await client.GetAsync("/hello-world?cpuMs=1000&parallelism=1", TestContext.Current.CancellationToken);
        burn.EnsureSuccessStatusCode();
        var after = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        var usage = PrometheusText.Get(after, "helloservice_pod_cpu_usage_millicores");
        var ratio = PrometheusText.Get(after, "helloservice_pod_cpu_utilization_ratio");
        Assert.True(usage > 150, $"usage {usage.ToString(CultureInfo.InvariantCulture)}m after a 1 s burn in a 5 s window");
        // Read a moment apart, so close but not equal.
        Assert.InRange(ratio, usage / 500 * 0.8, usage / 500 * 1.25);
        var workingSet = PrometheusText.Get(after, "helloservice_pod_working_set_bytes");
        Assert.InRange(PrometheusText.Get(after, "helloservice_pod_memory_utilization_ratio"), workingSet / (150 * MiB) * 0.8, workingSet / (150 * MiB) * 1.25);
    }
}
