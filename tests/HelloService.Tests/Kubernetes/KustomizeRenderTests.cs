using HelloService.Tests.Observability;

using k8s;
using k8s.Models;

namespace HelloService.Tests.Kubernetes;

/// <summary>
/// What `kubectl apply -k` would send: the kustomizations rendered by kubectl's built-in
/// kustomize, parsed strictly. Skipped when kubectl is absent, except in CI.
/// </summary>
[Trait("Category", "Slow")]
public class KustomizeRenderTests
{
    [Fact]
    public async Task KustomizeRendersTheBaseWithDeploymentServiceHpaAndPdb()
    {
        var objects = await RenderAsync("k8s/base");

        var kinds = objects.Select(o => ((IKubernetesObject)o).Kind).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Deployment", "HorizontalPodAutoscaler", "Namespace", "PodDisruptionBudget", "Service", "Service"], kinds);
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal("helloservice", o.Metadata.NamespaceProperty));

        var deployment = objects.OfType<V1Deployment>().Single();
        var template = deployment.Spec.Template.Metadata.Labels;
        foreach (var label in new[] { "name", "instance", "version", "component", "part-of", "managed-by" })
        {
            Assert.True(template.ContainsKey($"app.kubernetes.io/{label}"), $"pod template lacks app.kubernetes.io/{label}");
            Assert.True(deployment.Metadata.Labels.ContainsKey($"app.kubernetes.io/{label}"), $"Deployment lacks app.kubernetes.io/{label}");
        }

        // kustomize adds the instance label to selectors: they must still agree after rendering.
        Assert.Equal("helloservice", deployment.Spec.Selector.MatchLabels["app.kubernetes.io/instance"]);
        Assert.DoesNotContain("app.kubernetes.io/version", deployment.Spec.Selector.MatchLabels.Keys);
        Assert.All(deployment.Spec.Selector.MatchLabels, pair => Assert.Equal(pair.Value, template[pair.Key]));
        Assert.All(objects.OfType<V1Service>(), s => Assert.Equal(deployment.Spec.Selector.MatchLabels, s.Spec.Selector));
        Assert.Equal(deployment.Spec.Selector.MatchLabels, objects.OfType<V1PodDisruptionBudget>().Single().Spec.Selector.MatchLabels);
        Assert.Equal(deployment.Metadata.Name, objects.OfType<V2HorizontalPodAutoscaler>().Single().Spec.ScaleTargetRef.Name);
        Assert.Equal("helloservice:1.0.0", deployment.Spec.Template.Spec.Containers.Single().Image);
    }

    [Fact]
    public async Task KustomizeRendersTheLoadGeneratorAsItsOwnBoundedJob()
    {
        var objects = await RenderAsync("k8s/load-generator");

        var job = Assert.IsType<V1Job>(Assert.Single(objects));
        Assert.Equal("helloservice", job.Metadata.NamespaceProperty);
        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.NotNull(job.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public async Task KustomizeRendersTheAutoscalerWithTheClusterNameAndRole()
    {
        var objects = await RenderAsync("k8s/aws");

        var deployment = objects.OfType<V1Deployment>().Single();
        var settings = objects.OfType<V1ConfigMap>().Single();
        var account = objects.OfType<V1ServiceAccount>().Single();
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1ClusterRole and not V1ClusterRoleBinding),
            o => Assert.Equal("kube-system", o.Metadata.NamespaceProperty));
        Assert.Equal(settings.Metadata.Name, deployment.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "CLUSTER_NAME").ValueFrom.ConfigMapKeyRef.Name);
        Assert.Equal("helloservice-demo", settings.Data["cluster-name"]);
        Assert.Matches(@"^arn:aws:iam::[0-9]{12}:role/helloservice-demo-cluster-autoscaler$", account.Metadata.Annotations["eks.amazonaws.com/role-arn"]);
    }

    private static async Task<List<object>> RenderAsync(string directory)
    {
        var documents = await RenderDocumentsAsync(directory);
        Assert.All(documents, d => Assert.NotNull(d.Typed));
        return documents.Select(d => d.Typed!).ToList();
    }

    /// <summary>
    /// The documents <c>kubectl kustomize</c> renders from <paramref name="directory"/> (relative to the
    /// repository), Kubernetes objects typed, CRD objects as YAML trees.
    /// </summary>
    internal static async Task<IReadOnlyList<ManifestDocument>> RenderDocumentsAsync(string directory)
    {
        var kubectl = ToolRun.Require("kubectl", "the kubectl package");
        var run = await ToolRun.RunAsync(kubectl, ["kustomize", Path.Combine(Manifests.RepositoryRoot, directory)], TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, $"kubectl kustomize {directory} failed: {run.Stderr}");
        return Manifests.Parse($"rendered {directory}", run.Stdout);
    }
}
