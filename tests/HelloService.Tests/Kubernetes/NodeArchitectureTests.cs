using YamlDotNet.RepresentationModel;

namespace HelloService.Tests.Kubernetes;

/// <summary>
/// The image is built for linux/amd64 and linux/arm64, so no manifest may tie a pod to one node
/// architecture: no kubernetes.io/arch in a nodeSelector, and no node affinity on it that leaves
/// out amd64 or arm64.
/// </summary>
public class NodeArchitectureTests
{
    private static readonly string[] ArchitectureLabels = ["kubernetes.io/arch", "beta.kubernetes.io/arch"];

    private static readonly string[] ImageArchitectures = ["amd64", "arm64"];

    [Fact]
    [Trait("Category", "Slow")]
    public async Task NoManifestRenderedOrAppliedAsAFilePinsANodeArchitecture()
    {
        var kustomizations = Directory.EnumerateFiles(Manifests.Directory, "kustomization.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Manifests.RepositoryRoot, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("k8s/base", kustomizations);
        Assert.Contains("k8s/overlays/local", kustomizations);

        // The files as written too: k8s/keda/ is applied with -f, not rendered.
        var documents = new List<ManifestDocument>(Manifests.All);
        foreach (var directory in kustomizations)
        {
            documents.AddRange(await KustomizeRenderTests.RenderDocumentsAsync(directory));
        }

        var pins = documents.SelectMany(d => Pins(d.Yaml).Select(pin => $"{d.File}, {d.Kind}: {pin}")).ToList();
        Assert.True(pins.Count == 0, $"pinned to one architecture: {string.Join("; ", pins)}");
    }

    [Theory]
    [InlineData("{nodeSelector: {kubernetes.io/arch: amd64}}", true)]
    [InlineData("{nodeSelector: {beta.kubernetes.io/arch: arm64}}", true)]
    [InlineData("{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]}]}}}}", true)]
    [InlineData("{affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: kubernetes.io/arch, operator: NotIn, values: [arm64]}]}}]}}}", true)]
    [InlineData("{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [arm64, amd64]}]}]}}}}", false)]
    [InlineData("{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: NotIn, values: [s390x]}]}]}}}}", false)]
    [InlineData("{nodeSelector: {kubernetes.io/os: linux}}", false)]
    public void PinsAreFoundInNodeSelectorsAndNodeAffinities(string podSpec, bool pinned)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader($"{{kind: Deployment, spec: {{template: {{spec: {podSpec}}}}}}}"));

        Assert.Equal(pinned, Pins(yaml.Documents[0].RootNode).Any());
    }

    /// <summary>Every place under <paramref name="node"/> that keeps a pod off amd64 or arm64 nodes.</summary>
    private static IEnumerable<string> Pins(YamlNode node) => node switch
    {
        YamlMappingNode mapping => PinsOf(mapping).Concat(mapping.Children.Values.SelectMany(Pins)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(Pins),
        _ => [],
    };

    private static IEnumerable<string> PinsOf(YamlMappingNode mapping)
    {
        // A nodeSelector entry: one value, one architecture.
        foreach (var label in ArchitectureLabels)
        {
            if (mapping.Scalar(label) is { } value)
            {
                yield return $"{label}: {value}";
            }
        }

        // A node selector requirement (required or preferred affinity).
        if (mapping.Scalar("key") is { } key && ArchitectureLabels.Contains(key))
        {
            var @operator = mapping.Scalar("operator");
            var values = mapping.Node("values").Items().Select(v => v.ToString()).ToList();
            var allowsEvery = @operator switch
            {
                "In" => ImageArchitectures.All(values.Contains),
                "NotIn" => !ImageArchitectures.Any(values.Contains),
                "Exists" => true,
                _ => false,
            };
            if (!allowsEvery)
            {
                yield return $"{key} {@operator} [{string.Join(", ", values)}]";
            }
        }
    }
}
