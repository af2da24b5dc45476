using k8s.Models;

namespace HelloService.Tests.Kubernetes;

public class ServiceManifestTests
{
    private static IEnumerable<V1Service> Services => Manifests.In("base/service.yaml").OfType<V1Service>();

    [Fact]
    public void ServicesSelectExactlyTheDeploymentsPods()
    {
        var deployment = Manifests.AppDeployment;

        Assert.Equal(2, Services.Count());
        foreach (var service in Services)
        {
            Assert.Equal(deployment.Spec.Selector.MatchLabels, service.Spec.Selector);
            Assert.All(service.Spec.Selector, pair => Assert.Equal(pair.Value, deployment.Spec.Template.Metadata.Labels[pair.Key]));
        }
    }

    [Fact]
    public void ServiceTargetPortsNameContainerPorts()
    {
        var containerPorts = Manifests.AppContainer.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);

        foreach (var port in Services.SelectMany(s => s.Spec.Ports))
        {
            Assert.True(containerPorts.ContainsKey(port.TargetPort.Value),
                $"targetPort {port.TargetPort.Value} is not a named container port ({string.Join(", ", containerPorts.Keys)})");
            Assert.Equal(containerPorts[port.TargetPort.Value], port.Port); // same number outside and in
        }
    }

    [Fact]
    public void OnlyTheAppPortIsPublic()
    {
        var publicService = Services.Single(s => s.Spec.Type == "LoadBalancer");
        var metrics = Services.Single(s => s.Spec.Type == "ClusterIP");

        Assert.Equal("helloservice", publicService.Metadata.Name);
        Assert.Equal("http", Assert.Single(publicService.Spec.Ports).TargetPort.Value);
        Assert.Equal("helloservice-metrics", metrics.Metadata.Name);
        Assert.Equal("management", Assert.Single(metrics.Spec.Ports).TargetPort.Value);
    }

    [Fact]
    public void LoadGeneratorPodsAreNotBehindTheService()
    {
        var selector = Services.First().Spec.Selector;
        var job = Manifests.Single<V1Job>("load-generator/job.yaml");
        var labels = job.Spec.Template.Metadata.Labels;

        Assert.False(selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value));
        Assert.StartsWith("http://helloservice:9000/", job.Spec.Template.Spec.Containers.Single().Env("TARGET_URL"), StringComparison.Ordinal);
    }
}
