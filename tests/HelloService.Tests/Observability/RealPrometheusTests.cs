using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace HelloService.Tests.Observability;

/// <summary>
/// Debian's real Prometheus on loopback, scraping the service (a real process) every second and
/// evaluating the PrometheusRule's groups every second: after a burn with an overload, every
/// dashboard, rule and adapter expression that reads only the service's own series returns data.
/// The scrape configuration attaches the labels a PodMonitor would (job helloservice/helloservice,
/// namespace, pod, container); Grafana's variables are expanded as <see cref="PromQl.Substitutions"/> says.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RealPrometheusTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("helloservice-prometheus-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task EveryExpressionOnTheServicesOwnSeriesReturnsDataFromARealPrometheus()
    {
        var prometheusPath = ToolRun.Require("prometheus", "apt-get install prometheus");
        var ct = TestContext.Current.CancellationToken;
        var total = Stopwatch.StartNew();
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            // One worker and a short admission wait: a second request while one burns is a 503.
            ["HelloWorld__MaxBusyWorkers"] = "1",
            ["HelloWorld__Parallelism"] = "1",
            ["HelloWorld__AdmissionWaitMilliseconds"] = "100",
            // Normal priority: at nice 19 the burn crawls while a parallel build holds the cores.
            ["HelloWorld__WorkerNice"] = "0",
            // The Deployment's requests, as the Downward API passes them: the utilization series exist only when known.
            ["Pod__CpuRequestMillicores"] = "700",
            ["Pod__MemoryRequestMiB"] = "150",
        }, warmUp: true);
        using var prometheus = StartPrometheus(prometheusPath, service.ManagementPort, out var api);
        await WaitAsync(async () => (await Get(api, "/-/ready")).StatusCode == HttpStatusCode.OK, 30, "Prometheus ready", prometheus);

        var own = PromQl.All.Where(PromQl.UsesOnlyOwnSeries).ToList();
        var scrapeDown = own.Single(e => e.Source == "rule HelloServiceScrapeDown");
        own.Remove(scrapeDown);
        Assert.True(own.Count >= 15, $"only {own.Count} expressions read the service's own series");

        // Counters must be scraped before they grow, or no rate sees the growth.
        await WaitAsync(() => ReturnsData(api, "helloservice_requests_rejected_total{job=\"helloservice/helloservice\"}"), 15, "the first scrape", prometheus);

        // A burn that holds the only worker, three requests turned away meanwhile, a bad one, and a
        // CPU-time (cpuMs) one for the demand panel.
        using (var app = service.App())
        {
            var burn = app.GetAsync("/hello-world?count=20&m=10", ct);
            await WaitAsync(async () => (await Metric(service, "helloservice_workers_busy")) >= 1, 10, "the burn to start", prometheus);
            var rejected = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.GetAsync("/hello-world?count=1&m=2", ct)));
            Assert.All(rejected, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
            using var invalid = await app.GetAsync("/hello-world?count=-1", ct);
            using var greeting = await burn;
            Assert.Equal(HttpStatusCode.OK, greeting.StatusCode);
            using var cpuTime = await app.GetAsync("/hello-world?cpuMs=100", ct);
            Assert.Equal(HttpStatusCode.OK, cpuTime.StatusCode);
        }

        var burnDone = total.Elapsed;
        var stopwatch = Stopwatch.StartNew();
        var empty = own.ToList();
        while (empty.Count > 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(1000, ct);
            var stillEmpty = new List<PromExpression>();
            foreach (var expression in empty)
            {
                if (!await ReturnsData(api, expression.Expanded))
                {
                    stillEmpty.Add(expression);
                }
            }

            empty = stillEmpty;
        }

        Assert.True(empty.Count == 0, $"no data after {stopwatch.Elapsed.TotalSeconds:F0} s from:\n" + string.Join('\n', empty) + "\n" + prometheus.Output);
        var dataAfter = stopwatch.Elapsed;

        // Not only data: the rejection rule's selector, summed by reason as the rule does, counts exactly the three turned away.
        const string Overloaded = "sum by (reason) (helloservice_requests_rejected_total{job=\"helloservice/helloservice\", reason=\"overloaded\"})";
        await WaitAsync(async () => await ValueAsync(api, Overloaded) == 3, 15, "3 overloaded rejections in Prometheus", prometheus);

        // The scrape-down alert's condition, once the target is gone.
        service.Terminate();
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not stop on SIGTERM");
        await WaitAsync(() => ReturnsData(api, scrapeDown.Expanded), 15, "up == 0 after the service stopped", prometheus);
        Figures.Report($"real Prometheus: {own.Count} expressions on the service's own series returned data {dataAfter.TotalSeconds:F1} s after the burn"
            + $" (burn done {burnDone.TotalSeconds:F1} s after the start, scrape-down seen at {total.Elapsed.TotalSeconds:F1} s)");
    }

    private async Task<bool> ReturnsData(Uri api, string expr)
    {
        using var response = await Get(api, "/api/v1/query?query=" + Uri.EscapeDataString(expr));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{expr}: {body.RootElement}");
        var result = body.RootElement.GetProperty("data").GetProperty("result");
        return result.ValueKind == JsonValueKind.Array && result.EnumerateArray().Any(series =>
            double.TryParse(series.GetProperty("value")[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value));
    }

    /// <summary>The value of a single-series instant query; null without exactly one series.</summary>
    private static async Task<double?> ValueAsync(Uri api, string expr)
    {
        using var response = await Get(api, "/api/v1/query?query=" + Uri.EscapeDataString(expr));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var result = body.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 1
            ? double.Parse(result[0].GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static Task<HttpResponseMessage> Get(Uri api, string path) => Http.GetAsync(new Uri(api, path), TestContext.Current.CancellationToken);

    private static async Task<double> Metric(ServiceProcess service, string name)
    {
        using var management = service.Management();
        var line = (await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken)).Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, double seconds, string what, PrometheusProcess prometheus)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"waited {seconds} s for {what}:\n{prometheus.Output}");
    }

    private PrometheusProcess StartPrometheus(string path, int managementPort, out Uri api)
    {
        var rules = Path.Combine(_directory, "rules.yaml");
        PromQl.WriteRulesFile(rules, alsoDashboardAndAdapter: false);
        var config = Path.Combine(_directory, "prometheus.yml");
        File.WriteAllText(config, $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - {{rules}}
            scrape_configs:
              - job_name: helloservice/helloservice
                static_configs:
                  - targets: ["127.0.0.1:{{managementPort}}"]
                    labels:
                      namespace: helloservice
                      pod: helloservice-test-0
                      container: helloservice
            """);
        var port = ServiceProcess.FreePort();
        api = new Uri($"http://127.0.0.1:{port}");
        return new PrometheusProcess(Process.Start(new ProcessStartInfo(path,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!);
    }

    /// <summary>The Prometheus process, killed on dispose, with its output for failure messages.</summary>
    private sealed class PrometheusProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public PrometheusProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
