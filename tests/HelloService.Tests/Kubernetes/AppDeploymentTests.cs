using System.Net;

using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.Pod;

using k8s.Models;

using Microsoft.Extensions.Configuration;

namespace HelloService.Tests.Kubernetes;

/// <summary>
/// The real service configured with the Deployment's own settings, except the ports (free
/// loopback ports), the drain (0, to keep the test fast) and the Secret-backed API key.
/// </summary>
public class AppDeploymentTests(AppFixture<AppDeploymentTests> fixture) : IClassFixture<AppFixture<AppDeploymentTests>>, IAppSettings
{
    private static readonly string[] NotApplied = ["Server__AppPort", "Server__ManagementPort", "Server__DrainSeconds"];

    private readonly HelloServiceApp _app = fixture.App;

    /// <summary>The literal settings, and the Downward API's ones as the kubelet would fill them in from the container's resources.</summary>
    public static IDictionary<string, string?>? AppSettings => Manifests.AppContainer.Env
        .Where(e => (e.Value is not null || e.ValueFrom?.ResourceFieldRef is not null) && !NotApplied.Contains(e.Name))
        .ToDictionary(e => e.Name.Replace("__", ":", StringComparison.Ordinal), e => (string?)(e.Value ?? DownwardValue(e.ValueFrom.ResourceFieldRef)));

    private static V1PodSpec Pod => Manifests.AppDeployment.Spec.Template.Spec;

    private static V1Container Container => Manifests.AppContainer;

    [Fact]
    public void DeploymentLeavesTheReplicaCountToTheHpa() =>
        Assert.Null(Manifests.AppDeployment.Spec.Replicas);

    [Fact]
    public void DeploymentSelectorMatchesItsPodTemplateLabels()
    {
        var deployment = Manifests.AppDeployment;
        var selector = deployment.Spec.Selector.MatchLabels;

        Assert.NotEmpty(selector);
        Assert.Null(deployment.Spec.Selector.MatchExpressions);
        Assert.All(selector, pair => Assert.Equal(pair.Value, deployment.Spec.Template.Metadata.Labels[pair.Key]));
        Assert.Equal("helloservice", selector["app.kubernetes.io/name"]);
    }

    [Fact]
    public void ContainerPortsAreThePortsTheServiceListensOn()
    {
        var ports = Container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        var defaults = new ServerOptions();

        Assert.Equal(new Dictionary<string, int> { ["http"] = 9000, ["management"] = 9001 }, ports);
        Assert.Equal(ports["http"].ToString(System.Globalization.CultureInfo.InvariantCulture), Container.Env("Server__AppPort"));
        Assert.Equal(ports["management"].ToString(System.Globalization.CultureInfo.InvariantCulture), Container.Env("Server__ManagementPort"));
        Assert.Equal((defaults.AppPort, defaults.ManagementPort), (ports["http"], ports["management"]));
    }

    [Fact]
    public void ProbesCheckLivenessAndReadinessOnTheManagementPort()
    {
        Assert.Equal("/healthz/live", Container.StartupProbe.HttpGet.Path);
        Assert.Equal("/healthz/live", Container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/healthz/ready", Container.ReadinessProbe.HttpGet.Path);
        foreach (var probe in new[] { Container.StartupProbe, Container.LivenessProbe, Container.ReadinessProbe })
        {
            Assert.Equal("management", probe.HttpGet.Port.Value);
            Assert.InRange(probe.TimeoutSeconds ?? 1, 1, 5);
            Assert.InRange(probe.PeriodSeconds ?? 10, 1, 30);
        }

        // The startup probe allows a slow start, the liveness probe restarts only a hung process.
        Assert.InRange((Container.StartupProbe.PeriodSeconds ?? 10) * (Container.StartupProbe.FailureThreshold ?? 3), 10, 120);
        Assert.InRange(Container.LivenessProbe.FailureThreshold ?? 3, 2, 10);
    }

    [Fact]
    public async Task ProbePathsAnswer200OnTheManagementPortAnd404OnTheAppPort()
    {
        var probes = new[] { Container.StartupProbe, Container.LivenessProbe, Container.ReadinessProbe };
        using var management = _app.Management();
        using var app = _app.App();

        foreach (var probe in probes)
        {
            var port = Container.Ports.Single(p => p.Name == probe.HttpGet.Port.Value).ContainerPort;
            Assert.Equal(9001, port); // the management port, which the fixture maps to its own free port
            using var ok = await management.GetAsync(probe.HttpGet.Path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            using var wrongPort = await app.GetAsync(probe.HttpGet.Path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, wrongPort.StatusCode);
        }
    }

    [Fact]
    public async Task PrometheusAnnotationsPointAtTheMetricsEndpoint()
    {
        var annotations = Manifests.AppDeployment.Spec.Template.Metadata.Annotations;
        var management = Container.Ports.Single(p => p.Name == "management").ContainerPort;

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(management.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        using var client = _app.Management();
        var metrics = await client.GetStringAsync(annotations["prometheus.io/path"], TestContext.Current.CancellationToken);
        Assert.Contains("helloservice_workers_busy", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourcesAreTheDemoSeedValues()
    {
        var resources = Container.Resources;

        Assert.Equal(0.7m, resources.Requests["cpu"].ToDecimal());
        Assert.Equal(150m * 1024 * 1024, resources.Requests["memory"].ToDecimal());
        Assert.Equal(0.9m, resources.Limits["cpu"].ToDecimal());
        Assert.Equal(200m * 1024 * 1024, resources.Limits["memory"].ToDecimal());
    }

    [Fact]
    public void PodRunsAsTheImagesNonRootUserWithAHardenedContext()
    {
        Assert.True(Pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, Pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", Pod.SecurityContext.SeccompProfile.Type);
        Assert.False(Pod.AutomountServiceAccountToken);
        Assert.True(Container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(Container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], Container.SecurityContext.Capabilities.Drop);
        Assert.Null(Container.SecurityContext.Capabilities.Add);
        Assert.NotEqual(true, Container.SecurityContext.Privileged);
    }

    [Fact]
    public void GracePeriodOutlastsTheServicesShutdownTimeout()
    {
        var timeout = int.Parse(Container.Env("Server__ShutdownTimeoutSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        var drain = int.Parse(Container.Env("Server__DrainSeconds"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(Pod.TerminationGracePeriodSeconds > timeout,
            $"terminationGracePeriodSeconds {Pod.TerminationGracePeriodSeconds} must exceed Server__ShutdownTimeoutSeconds {timeout}");
        Assert.InRange(drain, 1, timeout - 1);
        Assert.Null(Container.Lifecycle?.PreStop); // the service drains itself
    }

    [Fact]
    public void AppPodHasNoWritableVolumes()
    {
        Assert.Empty(Pod.Volumes ?? []);
        Assert.Empty(Container.VolumeMounts ?? []);
        Assert.DoesNotContain(Manifests.PodSpecs(), p => p.Pod.Volumes?.Any(v => v.EmptyDir is not null || v.HostPath is not null) == true);
    }

    [Fact]
    public void ImageTagAndVersionLabelFollowTheProjectVersion()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Manifests.RepositoryRoot, "Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;
        var kustomization = Manifests.Tool("base/kustomization.yaml", "Kustomization").Yaml;
        var versionLabel = kustomization.Node("labels").Items()
            .Select(l => l.Scalar("pairs", "app.kubernetes.io/version")).OfType<string>().Single();

        Assert.Equal($"helloservice:{version}", Container.Image);
        Assert.Equal(version, kustomization.Node("images").Items().Single().Scalar("newTag"));
        Assert.Equal(version, versionLabel);
    }

    [Fact]
    public void ApiKeyComesFromAnOptionalSecret()
    {
        var apiKey = Container.Env.Single(e => e.Name == "HelloWorld__ApiKey");

        Assert.Null(apiKey.Value);
        Assert.True(apiKey.ValueFrom.SecretKeyRef.Optional);
        Assert.Equal("helloservice-api-key", apiKey.ValueFrom.SecretKeyRef.Name);
    }

    [Theory]
    [InlineData("Pod__CpuRequestMillicores", "requests.cpu", "1m")]
    [InlineData("Pod__CpuLimitMillicores", "limits.cpu", "1m")]
    [InlineData("Pod__MemoryRequestMiB", "requests.memory", "1Mi")]
    [InlineData("Pod__MemoryLimitMiB", "limits.memory", "1Mi")]
    public void PodResourcesComeFromTheDownwardApiInTheSettingsUnit(string name, string resource, string divisor)
    {
        var field = Container.Env.Single(e => e.Name == name).ValueFrom?.ResourceFieldRef;

        Assert.NotNull(field);
        Assert.Equal(resource, field.Resource);
        Assert.Equal(Container.Name, field.ContainerName);
        Assert.Equal(new ResourceQuantity(divisor).ToDecimal(), field.Divisor.ToDecimal());
    }

    [Fact]
    public async Task StatusShowsTheRequestsTheDownwardApiPasses()
    {
        using var client = _app.App();

        using var status = await System.Text.Json.JsonDocument.ParseAsync(
            await client.GetStreamAsync("/status", TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);
        var pod = status.RootElement.GetProperty("pod");

        Assert.Equal(700, pod.GetProperty("cpuRequestMillicores").GetInt32());
        Assert.Equal(150, pod.GetProperty("memoryRequestMiB").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, pod.GetProperty("cpuUtilizationPercent").ValueKind);
    }

    [Fact]
    public void EnvironmentNamesAreRealSettingsWithValidValues()
    {
        var settings = Container.Env.Where(e => e.Value is not null).ToList();
        var sections = new Dictionary<string, Type>(StringComparer.Ordinal)
        {
            [ServerOptions.SectionName] = typeof(ServerOptions),
            [HelloWorldOptions.SectionName] = typeof(HelloWorldOptions),
            [PodOptions.SectionName] = typeof(PodOptions),
        };

        foreach (var setting in Container.Env)
        {
            var parts = setting.Name.Split("__");
            if (parts[0] == "Logging")
            {
                continue;
            }

            Assert.True(parts.Length == 2 && sections.TryGetValue(parts[0], out var type) && type.GetProperty(parts[1]) is not null,
                $"{setting.Name} is not a setting of the service (a typo is silently ignored)");
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(e => KeyValuePair.Create(e.Name.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var server = configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>()!;
        var helloWorld = configuration.GetSection(HelloWorldOptions.SectionName).Get<HelloWorldOptions>()!;
        var serverResult = new ServerOptionsValidator().Validate(null, server);
        var helloWorldResult = new HelloWorldOptionsValidator().Validate(null, helloWorld);
        var pod = configuration.GetSection(PodOptions.SectionName).Get<PodOptions>() ?? new PodOptions();
        var podResult = new PodOptionsValidator().Validate(null, pod);
        Assert.True(podResult.Succeeded, podResult.FailureMessage);
        Assert.True(serverResult.Succeeded, serverResult.FailureMessage);
        Assert.True(helloWorldResult.Succeeded, helloWorldResult.FailureMessage);
        Assert.Equal(1, helloWorld.Parallelism);
    }

    /// <summary>What the kubelet writes for a <c>resourceFieldRef</c>: the container's figure divided by the divisor, rounded up.</summary>
    private static string DownwardValue(V1ResourceFieldSelector field)
    {
        var (kind, resource) = field.Resource.Split('.') switch { [var k, var r] => (k, r), _ => throw new InvalidOperationException(field.Resource) };
        var quantities = kind == "requests" ? Manifests.AppContainer.Resources.Requests : Manifests.AppContainer.Resources.Limits;
        var value = Math.Ceiling(quantities[resource].ToDecimal() / (field.Divisor?.ToDecimal() ?? 1m));
        return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
