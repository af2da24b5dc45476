using HelloService.Tests.Kubernetes;

namespace HelloService.Tests.Observability;

/// <summary>The PromQL of the dashboard, the PrometheusRule and the adapter rule: it parses, and it reads series that exist.</summary>
public sealed class PromQlExpressionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("helloservice-promql-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void MetricNameExtractionFindsSelectorsNotLabelsFunctionsOrVariables()
    {
        var names = PromQl.MetricNames(PromQl.Expand(
            "histogram_quantile(0.9, sum by (le, pod) (rate(http_request_duration_seconds_bucket{namespace=\"$namespace\", code=~\"5..\"}[$__rate_interval])))"
            + " / on (pod) group_left () max without (instance) (ns:recorded:rate1m offset 5m) > bool 0.5 and up"));

        Assert.Equal(["http_request_duration_seconds_bucket", "ns:recorded:rate1m", "up"], names.Order(StringComparer.Ordinal));
        Assert.Empty(PromQl.MetricNames("sum(rate({__name__=~\"helloservice_.+\"}[1m])) * 100"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task EveryDashboardRuleAndAdapterExpressionParsesWithPromtool()
    {
        var promtool = ToolRun.Require("promtool", "apt-get install prometheus");
        var rules = Path.Combine(_directory, "rules.yaml");
        var count = PromQl.WriteRulesFile(rules, alsoDashboardAndAdapter: true);

        var run = await ToolRun.RunAsync(promtool, ["check", "rules", rules], TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, $"promtool check rules failed:\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains($"SUCCESS: {count} rules found", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(PromQl.All.Count, count);
    }

    [Fact]
    public void EverySeriesAnExpressionReadsIsRecordedHereOwnOrAKnownExporterMetric()
    {
        var recorded = PromQl.Rules.Where(r => r.Record is not null).Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var expression in PromQl.All)
        {
            Assert.NotEmpty(expression.Metrics);
            foreach (var name in expression.Metrics)
            {
                var known = name.Contains(':', StringComparison.Ordinal) ? recorded.Contains(name)
                    : PromQl.IsOwnSeries(name) || ExporterMetrics.Contains(name);
                if (!known)
                {
                    problems.Add($"{expression.Source}: {name}");
                }
            }
        }

        Assert.True(problems.Count == 0, "unknown series:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void EveryRecordingRuleIsReadByTheDashboardOrAnAlert()
    {
        var readers = PromQl.DashboardExpressions.Concat(PromQl.RuleExpressions).SelectMany(e => e.Metrics).ToHashSet(StringComparer.Ordinal);

        var unread = PromQl.Rules.Where(r => r.Record is not null && !readers.Contains(r.Record)).Select(r => r.Record);

        Assert.Empty(unread);
    }

    /// <summary>
    /// Every helloservice_* name anywhere in k8s/ (manifests, dashboard, KEDA, docs), and every own
    /// series an expression reads, is in a real scrape of the service after a greeting and a 400.
    /// The service knows its requests, as the Deployment's Downward API settings make it.
    /// </summary>
    [Fact]
    public async Task EveryServiceMetricNamedInK8sExistsInARealScrape()
    {
        using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["Pod:CpuRequestMillicores"] = "700",
            ["Pod:CpuLimitMillicores"] = "900",
            ["Pod:MemoryRequestMiB"] = "150",
            ["Pod:MemoryLimitMiB"] = "200",
        }).Started();
        using (var client = app.App())
        {
            using var greeting = await client.GetAsync("/hello-world?count=1&m=2", TestContext.Current.CancellationToken);
            using var invalid = await client.GetAsync("/hello-world?count=-1", TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, greeting.StatusCode);
        }

        using var management = app.Management();
        var exposed = PromQl.ExposedNames(await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        var named = Directory.EnumerateFiles(Manifests.Directory, "*", SearchOption.AllDirectories)
            .SelectMany(file => PromQl.HelloServiceNames(File.ReadAllText(file)).Select(name => (File: Path.GetRelativePath(Manifests.Directory, file), Name: name)))
            .Concat(PromQl.All.SelectMany(e => e.Metrics.Where(n => PromQl.IsOwnSeries(n) && !PromQl.ScrapeSeries.Contains(n)).Select(n => (File: e.Source, Name: n))))
            .ToList();

        Assert.Contains(named, n => n.Name == "helloservice_workers_busy" && n.File.StartsWith("keda", StringComparison.Ordinal));
        Assert.Contains(named, n => n.Name.StartsWith("http_", StringComparison.Ordinal));
        var missing = named.Where(n => !exposed.Contains(n.Name)).Select(n => $"{n.File}: {n.Name}").Distinct().ToList();
        Assert.True(missing.Count == 0, "not in a real scrape:\n" + string.Join('\n', missing));
    }
}
