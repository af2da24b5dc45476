using System.Text.RegularExpressions;

using k8s;
using k8s.Models;

using YamlDotNet.RepresentationModel;

namespace HelloService.Tests.Kubernetes;

/// <summary>One YAML document of a file under <c>k8s/</c>, typed when it is a Kubernetes API object.</summary>
/// <param name="File">Path relative to <c>k8s/</c>, with forward slashes.</param>
/// <param name="ApiVersion">The document's apiVersion.</param>
/// <param name="Kind">The document's kind.</param>
/// <param name="Typed">The KubernetesClient model (strictly parsed), or null for a tool's own format.</param>
/// <param name="Yaml">The document as a YAML tree, for the formats KubernetesClient has no model of.</param>
public sealed record ManifestDocument(string File, string ApiVersion, string Kind, object? Typed, YamlMappingNode Yaml);

/// <summary>
/// Every YAML document under <c>k8s/</c>. Kubernetes API objects are parsed with KubernetesClient
/// in strict mode, so an unknown or misspelt field is an error; kustomize, eksctl and KEDA files
/// (no model in KubernetesClient) are kept as YAML trees for the tests that check them by hand.
/// </summary>
public static partial class Manifests
{
    /// <summary>API groups that are not the Kubernetes API: tool configuration and CRDs.</summary>
    public static readonly IReadOnlySet<string> ToolApiGroups = new HashSet<string>(StringComparer.Ordinal)
    {
        "kustomize.config.k8s.io", "eksctl.io", "keda.sh", "monitoring.coreos.com", "kind.x-k8s.io",
    };

    private static readonly Lazy<IReadOnlyList<ManifestDocument>> Loaded = new(() => LoadDirectory(Directory));

    public static string RepositoryRoot => Repository.Root;

    public static string Directory => Path.Combine(RepositoryRoot, "k8s");

    public static IReadOnlyList<ManifestDocument> All => Loaded.Value;

    /// <summary>The typed objects of one file (e.g. <c>base/deployment.yaml</c>, <c>aws/cluster-autoscaler.yaml</c>).</summary>
    public static IEnumerable<object> In(string file) =>
        All.Where(d => d.File == file && d.Typed is not null).Select(d => d.Typed!);

    public static T Single<T>(string file) => In(file).OfType<T>().Single();

    public static ManifestDocument Tool(string file, string kind) => All.Single(d => d.File == file && d.Kind == kind);

    /// <summary>The app's Deployment and its one container.</summary>
    public static V1Deployment AppDeployment => Single<V1Deployment>("base/deployment.yaml");

    public static V1Container AppContainer => AppDeployment.Spec.Template.Spec.Containers.Single();

    /// <summary>Every pod template in the manifests: the app, the autoscaler, the load generator.</summary>
    public static IEnumerable<(string Owner, V1PodSpec Pod)> PodSpecs(IEnumerable<object> objects) =>
        objects.Select(o => o switch
        {
            V1Deployment d => ($"{d.Metadata.Name} (Deployment)", d.Spec.Template.Spec),
            V1Job j => ($"{j.Metadata.Name} (Job)", j.Spec.Template.Spec),
            V1StatefulSet s => ($"{s.Metadata.Name} (StatefulSet)", s.Spec.Template.Spec),
            V1DaemonSet s => ($"{s.Metadata.Name} (DaemonSet)", s.Spec.Template.Spec),
            V1CronJob c => ($"{c.Metadata.Name} (CronJob)", c.Spec.JobTemplate.Spec.Template.Spec),
            V1Pod p => ($"{p.Metadata.Name} (Pod)", p.Spec),
            _ => (string.Empty, null!),
        }).Where(x => x.Item2 is not null);

    public static IEnumerable<(string Owner, V1PodSpec Pod)> PodSpecs() =>
        PodSpecs(All.Where(d => d.Typed is not null).Select(d => d.Typed!));

    /// <summary>The value of an env var of a container, failing when it is absent or not a literal.</summary>
    public static string Env(this V1Container container, string name)
    {
        var variable = container.Env?.SingleOrDefault(e => e.Name == name);
        Assert.True(variable?.Value is not null, $"container {container.Name} has no literal env {name}");
        return variable.Value;
    }

    /// <summary>Parses a multi-document YAML text: Kubernetes objects strictly, tool formats as YAML trees.</summary>
    public static IReadOnlyList<ManifestDocument> Parse(string file, string text)
    {
        var documents = new List<ManifestDocument>();
        foreach (var part in DocumentSeparator().Split(text))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(part));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                continue; // comments only
            }

            var apiVersion = root.Scalar("apiVersion");
            var kind = root.Scalar("kind");
            Assert.False(string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind), $"{file}: a document without apiVersion/kind");
            var group = apiVersion!.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
            object? typed = null;
            if (!ToolApiGroups.Contains(group))
            {
                try
                {
                    typed = KubernetesYaml.LoadAllFromString(part, typeMap: null, strict: true).Single();
                }
                catch (Exception e) when (e is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException or KeyNotFoundException)
                {
                    throw new Xunit.Sdk.XunitException($"{file}: {kind} does not parse strictly into its model: {e.Message}");
                }
            }

            documents.Add(new ManifestDocument(file, apiVersion, kind!, typed, root));
        }

        return documents;
    }

    public static string? Scalar(this YamlNode node, params string[] path) =>
        (node.Node(path) as YamlScalarNode)?.Value;

    public static YamlNode? Node(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static IEnumerable<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children : [];

    private static List<ManifestDocument> LoadDirectory(string directory)
    {
        var documents = new List<ManifestDocument>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
            documents.AddRange(Parse(relative, File.ReadAllText(path)));
        }

        return documents;
    }

    [GeneratedRegex(@"^---[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
