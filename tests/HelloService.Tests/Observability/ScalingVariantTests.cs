using HelloService.Tests.Kubernetes;

using k8s;
using k8s.Models;

using YamlDotNet.RepresentationModel;

namespace HelloService.Tests.Observability;

/// <summary>k8s/custom-metrics (HPA on busy workers) and k8s/overlays/local (kind, minikube), rendered.</summary>
public class ScalingVariantTests
{
    [Fact]
    public async Task CustomMetricsHpaIsTheBaseHpaScalingOnTheAdaptersBusyWorkersMetric()
    {
        var baseHpa = (await Typed("k8s/base")).OfType<V2HorizontalPodAutoscaler>().Single();
        var rendered = await Typed("k8s/custom-metrics");
        var hpa = rendered.OfType<V2HorizontalPodAutoscaler>().Single();
        var adapter = rendered.OfType<V1ConfigMap>().Single();

        // Same object (name, namespace, target, limits, behaviour): applying it replaces the CPU HPA.
        Assert.Equal(baseHpa.Metadata.Name, hpa.Metadata.Name);
        Assert.Equal(baseHpa.Metadata.NamespaceProperty, hpa.Metadata.NamespaceProperty);
        Assert.Equal(baseHpa.Metadata.Labels, hpa.Metadata.Labels);
        var onlyMetricsDiffer = KubernetesJson.Deserialize<V2HorizontalPodAutoscalerSpec>(KubernetesJson.Serialize(hpa.Spec));
        onlyMetricsDiffer.Metrics = baseHpa.Spec.Metrics;
        Assert.Equal(KubernetesJson.Serialize(baseHpa.Spec), KubernetesJson.Serialize(onlyMetricsDiffer));

        var metric = Assert.Single(hpa.Spec.Metrics);
        Assert.Equal("Pods", metric.Type);
        Assert.Equal("AverageValue", metric.Pods.Target.Type);
        Assert.Equal(1m, metric.Pods.Target.AverageValue.ToDecimal());

        // The adapter serves the metric under the name the HPA asks for, from the same series.
        var config = new YamlStream();
        config.Load(new StringReader(adapter.Data["config.yaml"]));
        var rule = config.Documents[0].RootNode.Node("rules").Items().Single();
        Assert.Equal("monitoring", adapter.Metadata.NamespaceProperty);
        Assert.Equal(metric.Pods.Metric.Name, rule.Scalar("name", "as"));
        Assert.Matches(rule.Scalar("name", "matches")!, metric.Pods.Metric.Name);
        Assert.Equal("pod", rule.Scalar("resources", "overrides", "pod", "resource"));
        Assert.Equal("namespace", rule.Scalar("resources", "overrides", "namespace", "resource"));
    }

    /// <summary>
    /// The local overlay patches the base (k8s/base): it must render to the base except for what
    /// it is there to change. Rendered with no flags, as `kubectl apply -k` renders it.
    /// </summary>
    [Fact]
    public async Task LocalOverlayIsTheBaseWithANodePortALoadedImageAndSmallerRequests()
    {
        var base_ = await Typed("k8s/base");
        var local = await Typed("k8s/overlays/local");

        var service = local.OfType<V1Service>().Single(s => s.Metadata.Name == "helloservice");
        Assert.Equal("NodePort", service.Spec.Type);
        var nodePort = service.Spec.Ports.Single().NodePort;
        Assert.InRange(nodePort ?? 0, 30000, 32767);
        var container = local.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        Assert.Equal("Never", container.ImagePullPolicy);

        // A busy pod still reads above the HPA's 80% target (usage reaches the limit), and six pods
        // request at most 1.2 cores: a 2-CPU minikube VM keeps ~0.85 core for its control plane.
        var request = container.Resources.Requests["cpu"].ToDecimal();
        var limit = container.Resources.Limits["cpu"].ToDecimal();
        var hpa = local.OfType<V2HorizontalPodAutoscaler>().Single();
        Assert.True(100 * limit / request > hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization * 1.1m, $"a busy pod reads only {100 * limit / request:F0}%");
        Assert.True(hpa.Spec.MaxReplicas * request <= 1.2m, $"{hpa.Spec.MaxReplicas} pods request {hpa.Spec.MaxReplicas * request} cores");
        Assert.Equal(Manifests.AppContainer.Resources.Limits["memory"], container.Resources.Limits["memory"]);

        // Undo the intended differences: what is left must be the base, object for object.
        service.Spec.Type = "LoadBalancer";
        service.Spec.Ports.Single().NodePort = null;
        container.ImagePullPolicy = Manifests.AppContainer.ImagePullPolicy;
        container.Resources = base_.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single().Resources;
        Assert.Equal(base_.Select(o => KubernetesJson.Serialize(o)), local.Select(o => KubernetesJson.Serialize(o)));
    }

    [Fact]
    public async Task KindClusterMapsTheLocalNodePortToLoopback()
    {
        var nodePort = (await Typed("k8s/overlays/local")).OfType<V1Service>().Single(s => s.Metadata.Name == "helloservice").Spec.Ports.Single().NodePort;
        var kind = Manifests.Tool("overlays/local/kind-cluster.yaml", "Cluster").Yaml;

        var mapping = kind.Node("nodes").Items().Single().Node("extraPortMappings").Items().Single();

        Assert.Equal(nodePort.ToString(), mapping.Scalar("containerPort"));
        Assert.Equal("127.0.0.1", mapping.Scalar("listenAddress"));
        Assert.Equal("9000", mapping.Scalar("hostPort"));
    }

    private static async Task<List<object>> Typed(string directory)
    {
        var documents = await KustomizeRenderTests.RenderDocumentsAsync(directory);
        Assert.All(documents, d => Assert.NotNull(d.Typed));
        return documents.Select(d => d.Typed!).ToList();
    }
}
