using k8s.Models;

namespace HelloService.Tests.Kubernetes;

public class ManifestParsingTests
{
    [Fact]
    public void EveryManifestParsesStrictlyIntoItsTypedModel()
    {
        // Loading parses every Kubernetes object strictly: an unknown field throws here.
        var documents = Manifests.All;

        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            var group = document.ApiVersion.Split('/')[0];
            Assert.True(document.Typed is not null || Manifests.ToolApiGroups.Contains(group),
                $"{document.File}: {document.ApiVersion} {document.Kind} has no typed model");
        }

        // The known tool formats and nothing else go untyped.
        var untyped = documents.Where(d => d.Typed is null).Select(d => $"{d.File}:{d.Kind}").Order(StringComparer.Ordinal);
        Assert.Equal(
            ["aws/cluster.yaml:ClusterConfig", "aws/kustomization.yaml:Kustomization", "base/kustomization.yaml:Kustomization",
             "custom-metrics/kustomization.yaml:Kustomization", "keda/scaledobject.yaml:ScaledObject", "load-generator/kustomization.yaml:Kustomization", "memory/kustomization.yaml:Kustomization",
             "observability/kustomization.yaml:Kustomization", "observability/podmonitor.yaml:PodMonitor",
             "observability/prometheusrule.yaml:PrometheusRule", "overlays/local/kind-cluster.yaml:Cluster",
             "overlays/local/kustomization.yaml:Kustomization"],
            untyped);
    }

    [Fact]
    public void StrictParsingRejectsAnUnknownField()
    {
        const string misspelt = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selectr:\n    a: b\n";

        Assert.Throws<Xunit.Sdk.XunitException>(() => Manifests.Parse("misspelt.yaml", misspelt));
    }

    [Fact]
    public void BaseKustomizationDeploysTheAppAndStartsNoLoad()
    {
        var kustomization = Manifests.Tool("base/kustomization.yaml", "Kustomization").Yaml;
        var resources = kustomization.Node("resources").Items().Select(n => n.ToString()).ToList();

        Assert.Equal("helloservice", kustomization.Scalar("namespace"));
        Assert.Equal(["namespace.yaml", "deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml"], resources);
        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(Manifests.Directory, "base", r)), $"missing base/{r}"));
        Assert.DoesNotContain(resources, r => r.Contains("load", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(resources.SelectMany(r => Manifests.In($"base/{r}")).OfType<V1Job>());
    }

    [Fact]
    public void NamespaceEnforcesTheRestrictedPodSecurityStandard()
    {
        var ns = Manifests.Single<V1Namespace>("base/namespace.yaml");

        Assert.Equal("helloservice", ns.Metadata.Name);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }
}
