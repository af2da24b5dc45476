using System.Text.RegularExpressions;

using HelloService.Load;

using k8s.Models;

namespace HelloService.Tests.Kubernetes;

public partial class ScalingManifestTests
{
    private static V2HorizontalPodAutoscaler Hpa => Manifests.Single<V2HorizontalPodAutoscaler>("base/hpa.yaml");

    [Fact]
    public void HpaTargetsTheDeployment()
    {
        var target = Hpa.Spec.ScaleTargetRef;

        Assert.Equal("apps/v1", target.ApiVersion);
        Assert.Equal("Deployment", target.Kind);
        Assert.Equal(Manifests.AppDeployment.Metadata.Name, target.Name);
    }

    [Fact]
    public void HpaScalesOnCpuUtilizationOfTheRequestWithDemoTimings()
    {
        var metric = Assert.Single(Hpa.Spec.Metrics);

        Assert.Equal("Resource", metric.Type);
        Assert.Equal("cpu", metric.Resource.Name);
        Assert.Equal("Utilization", metric.Resource.Target.Type);
        Assert.Equal(80, metric.Resource.Target.AverageUtilization);
        Assert.Equal(1, Hpa.Spec.MinReplicas);
        Assert.Equal(0, Hpa.Spec.Behavior.ScaleUp.StabilizationWindowSeconds);
        Assert.InRange(Hpa.Spec.Behavior.ScaleDown.StabilizationWindowSeconds ?? 300, 60, 300);

        // One busy request burns up to the CPU limit; as a share of the request that must be
        // above the target, or a single busy pod would never scale out.
        var resources = Manifests.AppContainer.Resources;
        var busyUtilization = 100 * resources.Limits["cpu"].ToDecimal() / resources.Requests["cpu"].ToDecimal();
        Assert.True(busyUtilization > metric.Resource.Target.AverageUtilization * 1.1m,
            $"a busy pod reaches only {busyUtilization:F0}% of its request");
    }

    /// <summary>
    /// The node arithmetic of README.md: a t3.medium has ~1930m allocatable CPU, and
    /// kube-proxy (100m), the VPC CNI (25m), CoreDNS and metrics-server or the autoscaler
    /// (100m each) leave at best ~1605m, i.e. two 700m pods per node. The HPA maximum must be
    /// more than the minimum node count holds, or no pod ever waits and no node is ever added.
    /// </summary>
    [Fact]
    public void HpaMaximumNeedsMoreNodesThanTheNodeGroupMinimum()
    {
        const decimal allocatableCpu = 1.930m;
        const decimal lightestSystemPods = 0.325m;
        var cluster = Manifests.Tool("aws/cluster.yaml", "ClusterConfig").Yaml;
        var nodeGroup = cluster.Node("managedNodeGroups").Items().Single();
        var minNodes = int.Parse(nodeGroup.Scalar("minSize")!, System.Globalization.CultureInfo.InvariantCulture);
        var podCpu = Manifests.AppContainer.Resources.Requests["cpu"].ToDecimal();

        var podsPerNode = (int)Math.Floor((allocatableCpu - lightestSystemPods) / podCpu);

        Assert.Equal("t3.medium", nodeGroup.Scalar("instanceType"));
        Assert.Equal(2, podsPerNode);
        Assert.True(Hpa.Spec.MaxReplicas > minNodes * podsPerNode,
            $"maxReplicas {Hpa.Spec.MaxReplicas} fits on the {minNodes} minimum nodes ({minNodes * podsPerNode} pods): no node scale-out");
    }

    [Fact]
    public void PdbNeverBlocksASingleReplica()
    {
        var pdb = Manifests.Single<V1PodDisruptionBudget>("base/pdb.yaml");

        Assert.Equal(Manifests.AppDeployment.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels);
        if (pdb.Spec.MinAvailable is { } minAvailable)
        {
            Assert.True(minAvailable.Value is "0" or "0%", $"minAvailable {minAvailable.Value} blocks evicting the only replica");
        }
        else
        {
            var maxUnavailable = pdb.Spec.MaxUnavailable?.Value;
            Assert.NotNull(maxUnavailable);
            // An integer of at least 1, or a percentage above 0 (rounded up to at least one pod).
            Assert.True(maxUnavailable.EndsWith('%')
                ? int.Parse(maxUnavailable.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) > 0
                : int.Parse(maxUnavailable, System.Globalization.CultureInfo.InvariantCulture) >= 1,
                $"maxUnavailable {maxUnavailable} blocks evicting the only replica");
        }
    }

    private static V1Job LoadJob => Manifests.Single<V1Job>("load-generator/job.yaml");

    private static V1Container LoadContainer => LoadJob.Spec.Template.Spec.Containers.Single();

    /// <summary>The Job's arguments through the generator's real parser, $(VAR) expanded from the container's env as the kubelet does.</summary>
    private static LoadPlan LoadJobPlan()
    {
        var container = LoadContainer;
        var env = (container.Env ?? []).Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        var args = container.Args.Select(a => KubeletVariable().Replace(a, m => env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value)).ToList();
        var (plan, errors) = LoadCommand.Parse(args, _ => null);
        Assert.True(plan is not null, $"the Job's arguments do not parse: {string.Join("; ", errors)}");
        return plan;
    }

    [Fact]
    public void LoadGeneratorJobIsBounded()
    {
        var job = LoadJob;
        var plan = LoadJobPlan();

        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.InRange(job.Spec.ActiveDeadlineSeconds ?? 0, 60, 3600);
        Assert.True(plan.Duration + plan.Timeout < TimeSpan.FromSeconds(job.Spec.ActiveDeadlineSeconds!.Value),
            "the generator's own bounds end it before the deadline kills it, so the summary is printed");
        Assert.InRange(plan.MaxInFlight, 1, 1000);
        Assert.NotNull(job.Spec.TtlSecondsAfterFinished);
    }

    [Fact]
    public void LoadGeneratorJobRunsHelloLoadFromTheServiceImageWithArgumentsThatParse()
    {
        var container = LoadContainer;
        var plan = LoadJobPlan();
        var service = Manifests.In("base/service.yaml").OfType<V1Service>().First();

        Assert.Equal(Manifests.AppContainer.Image, container.Image);
        Assert.Equal(["/app/hello-load"], container.Command); // shipped beside /app/HelloService
        Assert.StartsWith("--", container.Args[0], StringComparison.Ordinal); // options only: no `load` command
        Assert.Equal(LoadMode.Demand, plan.Mode);
        Assert.IsType<RampProfile>(plan.Profile);
        Assert.Equal(service.Metadata.Name, plan.Target.Host);
        Assert.Equal(service.Spec.Ports.Single().Port, plan.Target.Port);
        Assert.Equal("/hello-world", plan.Target.AbsolutePath);
        Assert.Equal($"?cpuMs={plan.CpuMsPerRequest}", plan.Target.Query);
        Assert.Equal("helloservice-api-key", container.Env.Single(e => e.Name == LoadOptions.ApiKeyVariable).ValueFrom.SecretKeyRef.Name);
    }

    /// <summary>
    /// The demo's arithmetic: the HPA keeps usage at 80% of the 700m request, so it runs
    /// ceil(demand / 560m) pods. The Job's ramp must start where one pod suffices and end where
    /// the HPA needs its maximum, or the demo never shows the last pods (and nodes) joining.
    /// </summary>
    [Fact]
    public void LoadGeneratorRampGoesFromOnePodToTheHpaMaximum()
    {
        var ramp = Assert.IsType<RampProfile>(LoadJobPlan().Profile);
        var perPodMillicores = Manifests.AppContainer.Resources.Requests["cpu"].ToDecimal() * 1000
            * Hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization!.Value / 100;

        Assert.Equal(560m, perPodMillicores);
        Assert.Equal(Hpa.Spec.MinReplicas, (int)Math.Ceiling((decimal)ramp.From / perPodMillicores));
        Assert.Equal(Hpa.Spec.MaxReplicas, (int)Math.Ceiling((decimal)ramp.To / perPodMillicores));
    }

    [Fact]
    public void EveryContainerHasCpuAndMemoryRequestsWithinItsLimits()
    {
        var pods = Manifests.PodSpecs().ToList();

        Assert.Equal(3, pods.Count); // the app, the cluster autoscaler, the load generator
        foreach (var (owner, pod) in pods)
        {
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{owner}/{container.Name}: no {resource} request");
                    Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{owner}/{container.Name}: no {resource} limit");
                    Assert.True(container.Resources.Requests[resource].ToDecimal() <= container.Resources.Limits[resource].ToDecimal(),
                        $"{owner}/{container.Name}: {resource} request above its limit");
                }
            }
        }
    }

    [Fact]
    public void EveryPodIsHardened()
    {
        foreach (var (owner, pod) in Manifests.PodSpecs())
        {
            Assert.NotNull(pod.SecurityContext);
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{owner}: runAsNonRoot");
            Assert.True(pod.SecurityContext.RunAsUser > 0, $"{owner}: a numeric non-root runAsUser lets the kubelet check runAsNonRoot");
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile?.Type);
            foreach (var container in pod.Containers)
            {
                var context = container.SecurityContext;
                Assert.NotNull(context);
                Assert.True(context.ReadOnlyRootFilesystem, $"{owner}/{container.Name}: readOnlyRootFilesystem");
                Assert.False(context.AllowPrivilegeEscalation ?? true, $"{owner}/{container.Name}: allowPrivilegeEscalation");
                Assert.Equal("ALL", Assert.Single(context.Capabilities?.Drop ?? []));
            }
        }
    }

    [Fact]
    public void EveryImageIsPinnedNotLatest()
    {
        var images = Manifests.PodSpecs().SelectMany(p => p.Pod.Containers).Select(c => c.Image).ToList();
        var kustomizeTags = Manifests.All.Where(d => d.Kind == "Kustomization")
            .SelectMany(d => d.Yaml.Node("images").Items()).Select(i => i.Scalar("newTag")).OfType<string>().ToList();

        Assert.Equal(3, images.Count);
        Assert.All(images, image => Assert.Matches(PinnedImage(), image));
        Assert.NotEmpty(kustomizeTags);
        Assert.All(kustomizeTags, tag => Assert.NotEqual("latest", tag));
    }

    [Fact]
    public void ClusterAutoscalerDiscoversTheEksNodeGroupOfTheSameMinorVersion()
    {
        var cluster = Manifests.Tool("aws/cluster.yaml", "ClusterConfig").Yaml;
        var clusterName = cluster.Scalar("metadata", "name")!;
        var version = cluster.Scalar("metadata", "version")!;
        var kustomization = Manifests.Tool("aws/kustomization.yaml", "Kustomization").Yaml;
        var deployment = Manifests.Single<V1Deployment>("aws/cluster-autoscaler.yaml");
        var container = deployment.Spec.Template.Spec.Containers.Single();
        var nodeGroup = cluster.Node("managedNodeGroups").Items().Single();

        Assert.Equal("kube-system", deployment.Metadata.NamespaceProperty);
        Assert.Equal("system-cluster-critical", deployment.Spec.Template.Spec.PriorityClassName);
        Assert.Contains("--cloud-provider=aws", container.Command);
        Assert.Contains("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/$(CLUSTER_NAME)", container.Command);
        Assert.Contains("--balance-similar-node-groups", container.Command);
        Assert.Contains("--skip-nodes-with-system-pods=false", container.Command);
        Assert.Contains("--scale-down-unneeded-time=10m", container.Command);
        Assert.Contains("--expander=least-waste", container.Command);
        Assert.Equal("cluster-name", container.Env.Single(e => e.Name == "CLUSTER_NAME").ValueFrom.ConfigMapKeyRef.Key);
        Assert.Contains($"cluster-name={clusterName}", kustomization.Node("configMapGenerator").Items().Single().Node("literals").Items().Select(n => n.ToString()));

        // The autoscaler simulates its own version's scheduler: same minor as the cluster.
        var tag = kustomization.Node("images").Items().Single().Scalar("newTag")!;
        Assert.StartsWith($"v{version}.", tag, StringComparison.Ordinal);
        Assert.StartsWith($"registry.k8s.io/autoscaling/cluster-autoscaler:v{version}.", container.Image, StringComparison.Ordinal);

        // The node group is tagged for discovery and can grow.
        Assert.Equal("true", nodeGroup.Scalar("tags", "k8s.io/cluster-autoscaler/enabled"));
        Assert.NotNull(nodeGroup.Scalar("tags", $"k8s.io/cluster-autoscaler/{clusterName}"));
        Assert.Equal("true", nodeGroup.Scalar("propagateASGTags"));
        Assert.True(int.Parse(nodeGroup.Scalar("maxSize")!, System.Globalization.CultureInfo.InvariantCulture)
            > int.Parse(nodeGroup.Scalar("minSize")!, System.Globalization.CultureInfo.InvariantCulture));

        // IRSA: the role eksctl creates is the one the ServiceAccount names.
        var serviceAccount = Manifests.Single<V1ServiceAccount>("aws/cluster-autoscaler.yaml");
        var irsa = cluster.Node("iam", "serviceAccounts").Items().Single();
        Assert.Equal("true", cluster.Scalar("iam", "withOIDC"));
        Assert.Equal(serviceAccount.Metadata.Name, deployment.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal(serviceAccount.Metadata.Name, irsa.Scalar("metadata", "name"));
        Assert.Equal("true", irsa.Scalar("wellKnownPolicies", "autoScaler"));
        var patchedArn = kustomization.Node("patches").Items().Single().Scalar("patch")!;
        Assert.EndsWith($":role/{irsa.Scalar("roleName")}", patchedArn.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterAutoscalerCanReadWhatItSimulates()
    {
        var role = Manifests.Single<V1ClusterRole>("aws/cluster-autoscaler.yaml");
        var binding = Manifests.Single<V1ClusterRoleBinding>("aws/cluster-autoscaler.yaml");

        bool Allows(string group, string resource, string verb) => role.Rules.Any(r =>
            r.ApiGroups.Contains(group) && r.Resources.Contains(resource) && r.Verbs.Contains(verb) && r.ResourceNames is null);

        Assert.True(Allows("", "nodes", "update"));
        Assert.True(Allows("", "pods/eviction", "create"));
        Assert.True(Allows("policy", "poddisruptionbudgets", "list"));
        Assert.True(Allows("apps", "replicasets", "watch"));
        Assert.True(Allows("storage.k8s.io", "csinodes", "list"));
        Assert.True(Allows("coordination.k8s.io", "leases", "create"));
        Assert.Equal(role.Metadata.Name, binding.RoleRef.Name);
        Assert.Equal("cluster-autoscaler", Assert.Single(binding.Subjects).Name);
    }

    [Fact]
    public void KedaAlternativeScalesTheDeploymentOnBusyWorkers()
    {
        var scaledObject = Manifests.Tool("keda/scaledobject.yaml", "ScaledObject").Yaml;
        var trigger = scaledObject.Node("spec", "triggers").Items().Single();

        Assert.Equal("keda.sh/v1alpha1", scaledObject.Scalar("apiVersion"));
        Assert.Equal(Manifests.AppDeployment.Metadata.Name, scaledObject.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal("prometheus", trigger.Scalar("type"));
        Assert.Contains("helloservice_workers_busy", trigger.Scalar("metadata", "query"), StringComparison.Ordinal);
        Assert.Equal(Hpa.Spec.MaxReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture), scaledObject.Scalar("spec", "maxReplicaCount"));
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex KubeletVariable();

    [GeneratedRegex(@"^[a-z0-9./-]+(:[0-9][A-Za-z0-9._-]*|:v[0-9][A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImage();
}
