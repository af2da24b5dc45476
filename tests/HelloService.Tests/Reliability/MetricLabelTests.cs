using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace HelloService.Tests.Reliability;

/// <summary>
/// The HTTP metrics' labels stay within a fixed set whatever a client sends, and say what
/// really happened. Each test runs its own process: the metrics registry is process-wide.
/// </summary>
[Trait("Category", "Slow")]
public class MetricLabelTests
{
    private static readonly string[] StandardMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"];

    [Fact]
    public async Task MethodLabelsAreTheNineStandardMethodsInUpperCaseOrOtherWhateverTheSpelling()
    {
        using var service = await ServiceProcess.StartReadyAsync();
        using var management = service.Management();

        // Methods are case-sensitive (RFC 9110 9.1): gEt is not GET, so it is counted as other.
        // (HttpClient would send every spelling of a standard method upper-cased: raw requests.)
        var spellings = StandardMethods
            .SelectMany(m => new[] { m.ToLowerInvariant(), m[..1] + m[1..].ToLowerInvariant(), string.Concat(m.Select((c, i) => i % 2 == 0 ? char.ToLowerInvariant(c) : c)) })
            .ToList();
        foreach (var method in spellings)
        {
            Assert.StartsWith("HTTP/1.1 ", await RawRequestAsync(service.AppPort, method), StringComparison.Ordinal);
        }

        // The standard methods as written (CONNECT needs an authority-form target: Kestrel answers it before the metrics).
        foreach (var method in StandardMethods.Where(m => m != "CONNECT"))
        {
            Assert.StartsWith("HTTP/1.1 ", await RawRequestAsync(service.AppPort, method), StringComparison.Ordinal);
        }

        var metrics = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var labels = Regex.Matches(metrics, "^http_requests_received_total\\{[^}]*method=\"([^\"]*)\"", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        string[] expected = [.. StandardMethods.Where(m => m != "CONNECT"), "other"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), labels.Order(StringComparer.Ordinal));
        var other = Regex.Matches(metrics, "^http_requests_received_total\\{[^}]*method=\"other\"[^}]*\\} ([0-9.]+)$", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(spellings.Count, other);
    }

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

    /// <summary>One request with <paramref name="method"/> as written to /hello-world?count=0 on its own connection; the answer's first line.</summary>
    private static async Task<string> RawRequestAsync(int port, string method)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} /hello-world?count=0 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = await reader.ReadToEndAsync(timeout.Token);
        return answer.Split("\r\n")[0];
    }
}
