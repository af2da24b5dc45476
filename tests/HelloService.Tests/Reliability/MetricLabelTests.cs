using System.Net;

namespace HelloService.Tests.Reliability;

/// <summary>
/// The HTTP metrics' labels stay within a fixed set whatever a client sends, and say what
/// really happened. Each test runs its own process: the metrics registry is process-wide.
/// </summary>
public class MetricLabelTests
{
    [Fact]
    public async Task RandomMethodsAndPathsDoNotGrowMetricSeriesOrMemory()
    {
        using var service = await ServiceProcess.StartReadyAsync();
        using var app = service.App();
        using var management = service.Management();
        var random = new Random(9);

        // Warm up: every label combination this attack can reach exists after a few requests.
        await SendRandomAsync(app, random, 500);
        var seriesBefore = HttpSeries(await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken));
        var rssBefore = service.RssMiB;

        await SendRandomAsync(app, random, 10_000);

        var metrics = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var seriesAfter = HttpSeries(metrics);
        var rssAfter = service.RssMiB;
        Figures.Report($"10,000 random methods and paths: http_* series {seriesBefore} -> {seriesAfter}, RSS {rssBefore:F0} -> {rssAfter:F0} MiB");
        Assert.Equal(seriesBefore, seriesAfter);
        Assert.DoesNotContain("method=\"M", metrics, StringComparison.Ordinal);
        Assert.Contains("method=\"other\"", metrics, StringComparison.Ordinal);
        Assert.True(rssAfter - rssBefore < 25, $"RSS grew from {rssBefore:F0} to {rssAfter:F0} MiB");
    }

    [Fact]
    public async Task RequestsWhoseClientLeftAreCountedAs499NotAs200()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["HelloWorld__MaxRequestSeconds"] = "60" });
        using var app = service.App();
        using var management = service.Management();
        const string Aborted = "http_requests_received_total{code=\"499\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/hello-world\"}";
        const string Ok = "http_requests_received_total{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/hello-world\"}";

        for (var i = 1; i <= 3; i++)
        {
            using var abort = new CancellationTokenSource();
            var heavy = app.GetAsync("/hello-world?m=14&count=8&parallelism=1", abort.Token);
            await GracefulShutdownTests.WaitForBusyWorkers(management, 1);
            await abort.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => heavy);
            var expected = i;
            await Ackermann.BurnSchedulerTests.WaitUntil(() => Sample(management, Aborted) == expected, seconds: 20);
        }

        var metrics = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(3, Http.Sample(metrics, Aborted));
        Assert.DoesNotContain(Ok, metrics, StringComparison.Ordinal);
        Assert.Equal(0, Http.Sample(metrics, "helloservice_greetings_total"));
    }

    private static double Sample(HttpClient management, string series)
    {
        var metrics = management.GetStringAsync("/metrics").GetAwaiter().GetResult();
        return metrics.Contains(series + " ", StringComparison.Ordinal) ? Http.Sample(metrics, series) : 0;
    }

    /// <summary>Sample lines of the http_* metrics (one per series, histogram buckets included).</summary>
    private static int HttpSeries(string metrics) =>
        metrics.Split('\n').Count(line => line.StartsWith("http_", StringComparison.Ordinal));

    /// <summary>Requests with random method tokens and random paths, 8 at a time.</summary>
    private static async Task SendRandomAsync(HttpClient client, Random random, int count)
    {
        var requests = Enumerable.Range(0, count)
            .Select(_ => (Method: $"M{random.Next(1_000_000)}", Path: $"/x{random.Next(1_000_000)}/{random.Next(1_000_000)}"))
            .ToList();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (r, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        });
    }
}
