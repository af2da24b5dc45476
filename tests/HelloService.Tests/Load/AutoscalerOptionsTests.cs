using System.Text.RegularExpressions;

using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>--hpa-*, --latency-goal and --threshold as the command line reads them.</summary>
public class AutoscalerOptionsTests
{
    private static int Field(string yaml, string name) =>
        int.Parse(Regex.Match(yaml, $@"^\s*{name}:\s*(\d+)\s*$", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void HpaDefaultsAreTheClustersHpaManifest()
    {
        var yaml = File.ReadAllText(Repository.Path("k8s", "base", "hpa.yaml"));

        var (plan, errors) = LoadCommand.Parse(["--url", "http://127.0.0.1:1", "--demand", "1"]);

        Assert.Empty(errors);
        Assert.Equal(new HpaSettings(Field(yaml, "averageUtilization"), Field(yaml, "minReplicas"), Field(yaml, "maxReplicas")), plan!.Hpa);
        Assert.Equal(TimeSpan.FromSeconds(2), plan.LatencyGoal);
        Assert.Empty(plan.Thresholds);
    }

    [Fact]
    public void HpaLatencyGoalAndThresholdsAreRead()
    {
        var (plan, errors) = LoadCommand.Parse(["--url", "http://127.0.0.1:1", "--demand", "1", "--hpa-target", "50", "--hpa-min", "2", "--hpa-max", "9",
            "--latency-goal", "500ms", "--threshold", "achieved>=95%", "--threshold", "p99<2s", "--threshold", "scaleout < 120s"]);

        Assert.Empty(errors);
        Assert.Equal(new HpaSettings(50, 2, 9), plan!.Hpa);
        Assert.Equal(TimeSpan.FromMilliseconds(500), plan.LatencyGoal);
        Assert.Equal(
            [new LoadThreshold("achieved>=95%", ThresholdMetric.Achieved, false, true, 95), new LoadThreshold("p99<2s", ThresholdMetric.P99, true, false, 2000),
                new LoadThreshold("scaleout < 120s", ThresholdMetric.ScaleOut, true, false, 120_000)],
            plan.Thresholds);
    }

    [Theory]
    [InlineData("--threshold", "latency<2s", "--threshold: 'latency<2s' is not one of")]
    [InlineData("--threshold", "p99<fast", "--threshold: 'p99<fast': p99 takes a duration")]
    [InlineData("--threshold", "achieved>=95", "achieved takes a percentage")]
    [InlineData("--hpa-target", "0", "--hpa-target: '0' is not a whole number from 1 to 1000")]
    [InlineData("--hpa-min", "7", "--hpa-min 7 is above --hpa-max 6")]
    [InlineData("--latency-goal", "2", "--latency-goal: '2' is not a duration")]
    public void BadAutoscalerOptionsAreRefusedNamingTheOption(string option, string value, string message)
    {
        var (plan, errors) = LoadCommand.Parse(["--url", "http://127.0.0.1:1", "--demand", "1", option, value]);

        Assert.Null(plan);
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }
}
