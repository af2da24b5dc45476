using HelloService.Tests.Kubernetes;

using YamlDotNet.RepresentationModel;

namespace HelloService.Tests.Observability;

/// <summary>The alerts of k8s/observability/prometheusrule.yaml under <c>promtool test rules</c> (alerts.test.yml).</summary>
public sealed class AlertRuleTests : IDisposable
{
    private static readonly string UnitTests = Path.Combine(Manifests.RepositoryRoot, "tests", "HelloService.Tests", "Observability", "alerts.test.yml");

    private readonly string _directory = Directory.CreateTempSubdirectory("helloservice-alerts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    [Trait("Category", "Slow")]
    public async Task AlertsFireAndStaySilentAsTheirUnitTestsExpect()
    {
        var promtool = ToolRun.Require("promtool", "apt-get install prometheus");
        PromQl.WriteRulesFile(Path.Combine(_directory, "helloservice-rules.yaml"), alsoDashboardAndAdapter: false);
        File.Copy(UnitTests, Path.Combine(_directory, "alerts.test.yml"));

        var run = await ToolRun.RunAsync(promtool, ["test", "rules", "alerts.test.yml"], TimeSpan.FromSeconds(60), workingDirectory: _directory);

        Assert.True(run.ExitCode == 0, $"promtool test rules failed:\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("SUCCESS", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(UnitTests)));
        var cases = stream.Documents[0].RootNode.Node("tests").Items().SelectMany(t => t.Node("alert_rule_test").Items()).ToList();

        foreach (var alert in PromQl.Rules.Where(r => r.Alert is not null).Select(r => r.Alert!))
        {
            var mine = cases.Where(c => c.Scalar("alertname") == alert).ToList();
            Assert.True(mine.Any(c => c.Node("exp_alerts").Items().Any()), $"{alert}: no case where it fires");
            Assert.True(mine.Any(c => !c.Node("exp_alerts").Items().Any()), $"{alert}: no case where it stays silent");
        }
    }

    [Fact]
    public void AlertsCoverTheScalingTestsFailureModes()
    {
        var alerts = PromQl.Rules.Where(r => r.Alert is not null).ToDictionary(r => r.Alert!, r => PromQl.MetricNames(r.Expr));

        Assert.Contains("kube_horizontalpodautoscaler_spec_max_replicas", alerts["HelloServiceHpaAtMaximum"]);
        Assert.Contains("kube_pod_status_phase", alerts["HelloServicePodsPending"]);
        Assert.Contains("namespace_pod:helloservice_container_cpu_throttled:ratio_rate1m", alerts["HelloServiceCpuThrottled"]);
        Assert.Contains("helloservice_requests_rejected_total", alerts["HelloServiceOverCapacity"]);
        Assert.Contains("up", alerts["HelloServiceScrapeDown"]);
    }
}
