using System.Globalization;
using System.Text.RegularExpressions;

using HelloService.Load;
using HelloService.LoadJobs;
using HelloService.Memory;

using k8s;
using k8s.Models;

namespace HelloService.Tests.Kubernetes;

/// <summary>
/// k8s/memory (the base with an HPA on memory) rendered as `kubectl apply -k` would, and the
/// arithmetic of docs/memory.md recomputed from what it renders: the figures, every HPA decision
/// of its table, and that no pod is OOM-killed at the largest demand it documents.
/// </summary>
[Trait("Category", "Slow")]
public partial class MemoryHpaTests
{
    private const double MiB = MemorySnapshot.MiB;

    private static readonly string Doc = File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "docs", "memory.md"));

    [Fact]
    public async Task MemoryOverlayReplacesTheBaseHpaWithOneOnMemoryUtilizationOfTheDeployment()
    {
        var baseHpa = (await Render("k8s/base")).OfType<V2HorizontalPodAutoscaler>().Single();
        var rendered = await Render("k8s/memory");
        var hpa = rendered.OfType<V2HorizontalPodAutoscaler>().Single();

        Assert.Equal(rendered.OfType<V1Deployment>().Single().Metadata.Name, hpa.Spec.ScaleTargetRef.Name);
        Assert.Equal("Deployment", hpa.Spec.ScaleTargetRef.Kind);
        Assert.Equal(baseHpa.Metadata.Name, hpa.Metadata.Name); // replaces the CPU HPA in place
        var metric = Assert.Single(hpa.Spec.Metrics);
        Assert.Equal("Resource", metric.Type);
        Assert.Equal("memory", metric.Resource.Name);
        Assert.Equal("Utilization", metric.Resource.Target.Type);
        Assert.Equal((int)Figure("HPA target"), metric.Resource.Target.AverageUtilization);
        Assert.Equal(300, hpa.Spec.Behavior.ScaleDown.StabilizationWindowSeconds); // the walk-through's window

        // Nothing else differs from the base's HPA.
        var rest = KubernetesJson.Deserialize<V2HorizontalPodAutoscalerSpec>(KubernetesJson.Serialize(hpa.Spec));
        rest.Metrics = baseHpa.Spec.Metrics;
        rest.Behavior.ScaleDown.StabilizationWindowSeconds = baseHpa.Spec.Behavior.ScaleDown.StabilizationWindowSeconds;
        Assert.Equal(KubernetesJson.Serialize(baseHpa.Spec), KubernetesJson.Serialize(rest));
    }

    [Fact]
    public async Task MemoryOverlayPatchesOnlyTheMemoryRequestLimitAndHeadroomTheDocumentUses()
    {
        var baseContainer = (await Render("k8s/base")).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        var container = (await Render("k8s/memory")).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();

        Assert.Equal(Figure("memory request"), container.Resources.Requests["memory"].ToDecimal() / (decimal)MiB);
        Assert.Equal(Figure("memory limit"), container.Resources.Limits["memory"].ToDecimal() / (decimal)MiB);
        Assert.Equal(baseContainer.Resources.Requests["cpu"], container.Resources.Requests["cpu"]);
        Assert.Equal(baseContainer.Resources.Limits["cpu"], container.Resources.Limits["cpu"]);
        Assert.Equal(baseContainer.Env.Count + 1, container.Env.Count);

        var admission = Admission(container);
        var limitMiB = container.Resources.Limits["memory"].ToDecimal() / (decimal)MiB;
        var headroomMiB = admission.HeadroomBytes((long)(limitMiB * (decimal)MiB)) / MiB;
        Assert.Equal((double)Figure("headroom"), headroomMiB, 0.05);
        Assert.Equal((double)Figure("largest working set"), (double)limitMiB - headroomMiB, 0.05);
        Assert.Equal(Math.Floor((double)(limitMiB - Figure("idle working set")) - headroomMiB), (double)Figure("largest demand"));
    }

    [Fact]
    public async Task NoPodIsOomKilledAtTheLargestDemandTheDocumentShows()
    {
        var container = (await Render("k8s/memory")).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        var limitBytes = (long)container.Resources.Limits["memory"].ToDecimal();
        var admitted = (limitBytes - Admission(container).HeadroomBytes(limitBytes)) / MiB;
        var idle = (double)Figure("idle working set");
        var largestInTable = DecisionRows().SelectMany(r => r.Held).Max();

        Assert.True(idle + (double)Figure("largest demand") <= admitted, $"idle + {Figure("largest demand")} MiB is above the {admitted:F1} MiB admitted");
        Assert.True(idle + largestInTable <= admitted, $"the table holds {largestInTable} MiB in one pod: above the {admitted:F1} MiB admitted");
        Assert.True(admitted < limitBytes / MiB, "the headroom keeps the working set below the limit");
    }

    [Fact]
    public async Task EveryDecisionInTheDocumentIsTheHpaFormulasOnTheRenderedFigures()
    {
        var (hpa, requestMiB) = await MemoryHpa();
        var idle = (double)Figure("idle working set");
        var rows = DecisionRows();

        Assert.Contains(rows, r => r.Pods == 4 && r.Held.SequenceEqual([200, 0, 0, 0])); // the example the text works through
        foreach (var row in rows)
        {
            var label = $"the row of {row.Pods} pods holding {string.Join(", ", row.Held)}";
            Assert.True(row.Pods == row.Held.Count, $"{label}: one figure per pod");
            var decision = HpaCalculator.Decide(row.Held.Select(h => (idle + h, requestMiB)).ToList(), 0, hpa)!;
            var ratio = (idle + row.Held.Average()) / requestMiB * 100 / hpa.TargetPercent;

            Assert.Equal(row.Average, Math.Round(idle + row.Held.Average(), 1, MidpointRounding.AwayFromZero));
            Assert.True(row.Utilization == decision.AverageUtilizationPercent, $"{label}: utilization {decision.AverageUtilizationPercent}%, the document says {row.Utilization}%");
            Assert.Equal(row.Ratio, Math.Round(ratio, 2, MidpointRounding.AwayFromZero));
            Assert.True(row.Desired == decision.DesiredReplicas, $"{label}: the HPA wants {decision.DesiredReplicas}, the document says {row.Desired}");
            Assert.Equal(Math.Abs(ratio - 1) <= HpaSettings.Tolerance, row.Note.Contains("tolerance", StringComparison.Ordinal));
            Assert.Equal(decision.LimitedBy == "maxReplicas", row.Note.StartsWith("maxReplicas", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task OnePodHoldingDemandSettlesAtThePodCountTheDocumentGives()
    {
        var (hpa, requestMiB) = await MemoryHpa();
        var idle = (double)Figure("idle working set");
        var rows = Table("| held on one pod |").ToList();

        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            foreach (var held in Numbers(row[0]))
            {
                var pods = Settle(idle + held, idle, requestMiB, hpa);
                Assert.True(Numbers(row[1])[0] == pods, $"{held} MiB in one pod settles at {pods} pods, the document says {row[1]}");
            }
        }
    }

    /// <summary>The pod count the HPA stops at, from its minimum, when one pod's working set is <paramref name="first"/> and the others idle.</summary>
    private static int Settle(double first, double idle, double requestMiB, HpaSettings hpa)
    {
        var pods = hpa.MinReplicas;
        for (var decisions = 0; decisions < 20; decisions++)
        {
            var desired = HpaCalculator.Decide(Enumerable.Range(0, pods).Select(i => (i == 0 ? first : idle, requestMiB)).ToList(), 0, hpa)!.DesiredReplicas;
            if (desired == pods)
            {
                return pods;
            }

            pods = desired;
        }

        throw new Xunit.Sdk.XunitException($"a pod at {first} MiB: the HPA never settles");
    }

    private sealed record DecisionRow(int Pods, List<double> Held, double Average, double Utilization, double Ratio, int Desired, string Note);

    private static List<DecisionRow> DecisionRows() =>
        Table("| pods | held MiB, per pod |").Select(c => new DecisionRow(
            (int)Numbers(c[0])[0], Numbers(c[1]), Numbers(c[2])[0], Numbers(c[3])[0], Numbers(c[4])[0], (int)Numbers(c[5])[0], c[6])).ToList();

    /// <summary>The first number of the row of "The figures" whose label starts with <paramref name="label"/>.</summary>
    private static decimal Figure(string label)
    {
        var row = Table("| figure | value |").Single(c => c[0].StartsWith(label, StringComparison.Ordinal));
        return (decimal)Numbers(row[1])[0];
    }

    /// <summary>The body rows (cells trimmed) of the markdown table whose header line starts with <paramref name="header"/>.</summary>
    private static IEnumerable<string[]> Table(string header)
    {
        var lines = Doc.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/memory.md has no table {header}");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray());
    }

    private static List<double> Numbers(string cell) =>
        Number().Matches(cell).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();

    private static async Task<(HpaSettings Hpa, double RequestMiB)> MemoryHpa()
    {
        var rendered = await Render("k8s/memory");
        var hpa = rendered.OfType<V2HorizontalPodAutoscaler>().Single();
        var container = rendered.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        var settings = new HpaSettings(hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization!.Value, hpa.Spec.MinReplicas!.Value, hpa.Spec.MaxReplicas);
        return (settings, (double)container.Resources.Requests["memory"].ToDecimal() / MiB);
    }

    /// <summary>The service's own headroom rule, with the container's setting or the default.</summary>
    private static MemoryAdmission Admission(V1Container container)
    {
        var defaults = new LoadJobCapOptions();
        var percent = container.Env.SingleOrDefault(e => e.Name == "HelloWorld__MemoryHeadroomPercent")?.Value;
        var minimum = container.Env.SingleOrDefault(e => e.Name == "HelloWorld__MinMemoryHeadroomMiB")?.Value;
        return new MemoryAdmission(new CgroupMemory(),
            percent is null ? defaults.MemoryHeadroomPercent : int.Parse(percent, CultureInfo.InvariantCulture),
            minimum is null ? defaults.MinMemoryHeadroomMiB : int.Parse(minimum, CultureInfo.InvariantCulture),
            defaults.MaxMemoryMiB);
    }

    private static async Task<List<object>> Render(string directory) =>
        (await KustomizeRenderTests.RenderDocumentsAsync(directory)).Select(d => d.Typed ?? throw new Xunit.Sdk.XunitException($"{directory}: untyped {d.Kind}")).ToList();

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?")]
    private static partial Regex Number();
}
