using HelloService.Tests.Kubernetes;

namespace HelloService.Tests.Observability;

/// <summary>
/// The PodMonitor and PrometheusRule against the Prometheus Operator's CRD schemas, as published in
/// the npm package @kubernetes-models/prometheus-operator, installed into the git-ignored
/// .crd-validation/node_modules by <c>bash .ci/crd-schemas.sh</c> (CI runs it before the tests; no
/// test runs npm). Without it, or without node, the validation tests skip with a message, except
/// in CI, where they fail.
/// </summary>
public class OperatorObjectTests
{
    private static readonly string Validator = Path.Combine(Manifests.RepositoryRoot, "tests", "HelloService.Tests", "Observability", ".crd-validation");

    [Fact]
    [Trait("Category", "Slow")]
    public async Task OperatorObjectsMatchTheirCrdSchemas()
    {
        var rendered = await Render();

        var run = await ValidateAsync(rendered);

        Assert.True(run.ExitCode == 0, $"CRD validation failed:\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("valid PodMonitor helloservice", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("valid PrometheusRule helloservice", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task CrdValidationRejectsAMalformedInterval()
    {
        var rendered = (await Render()).Replace("interval: 15s", "interval: 15 seconds", StringComparison.Ordinal);

        var run = await ValidateAsync(rendered);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("interval", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void PodMonitorScrapesTheAppPodsManagementPortUnderTheJobTheRulesSelect()
    {
        var podMonitor = Manifests.Tool("observability/podmonitor.yaml", "PodMonitor").Yaml;
        var kustomization = Manifests.Tool("observability/kustomization.yaml", "Kustomization").Yaml;
        var template = Manifests.AppDeployment.Spec.Template;
        var selector = podMonitor.Node("spec", "selector", "matchLabels") as YamlDotNet.RepresentationModel.YamlMappingNode;

        Assert.NotNull(selector);
        Assert.All(selector.Children, pair => Assert.Equal(pair.Value.ToString(), template.Metadata.Labels[pair.Key.ToString()]));
        var endpoint = podMonitor.Node("spec", "podMetricsEndpoints").Items().Single();
        Assert.Contains(Manifests.AppContainer.Ports, p => p.Name == endpoint.Scalar("port") && p.ContainerPort == 9001);
        Assert.Equal("/metrics", endpoint.Scalar("path"));
        // The Operator names the job "<namespace>/<PodMonitor name>"; the rules select it by that name.
        var job = $"{kustomization.Scalar("namespace")}/{podMonitor.Scalar("metadata", "name")}";
        Assert.All(PromQl.Rules.Where(r => PromQl.MetricNames(r.Expr).Any(n => n.StartsWith("helloservice_", StringComparison.Ordinal))),
            r => Assert.Contains($"job=\"{job}\"", r.Expr, StringComparison.Ordinal));
    }

    private static async Task<string> Render()
    {
        var kubectl = ToolRun.Require("kubectl", "the kubectl package");
        var run = await ToolRun.RunAsync(kubectl, ["kustomize", Path.Combine(Manifests.Directory, "observability")], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout;
    }

    private static async Task<ToolRun> ValidateAsync(string yaml)
    {
        var node = ToolRun.Require("node", "apt-get install nodejs npm");
        if (!Directory.Exists(Path.Combine(Validator, "node_modules", "@kubernetes-models", "prometheus-operator")))
        {
            const string why = "the CRD schemas are not installed: run bash .ci/crd-schemas.sh (npm ci into tests/HelloService.Tests/Observability/.crd-validation/node_modules)";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{why}; CI runs it before the tests");
            Assert.Skip(why);
        }

        return await ToolRun.RunAsync(node, [Path.Combine(Validator, "validate.mjs")], TimeSpan.FromSeconds(60), stdin: yaml);
    }
}
