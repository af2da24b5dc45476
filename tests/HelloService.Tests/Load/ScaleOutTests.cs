using System.Text.Json;

using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>
/// The HPA's view, the stopwatch and the thresholds against <see cref="PodRig"/>: pod-a answers
/// from the start, pod-b joins 2 s after the first request; the demand steps from 100m to 400m at 1 s.
/// </summary>
public class ScaleOutTests
{
    private static readonly string[] Step = ["--steps", "100m:1s,400m:4s", "--request-cpu-ms", "10"];

    private static Task<PodRig> TwoPodsAsync(bool podView = true) =>
        PodRig.StartAsync(podView, ("pod-a", TimeSpan.Zero), ("pod-b", TimeSpan.FromSeconds(2)));

    [Fact]
    public async Task ANewPodAndTheScaleOutAreTimedWithinOneIntervalOfTheScriptedJoin()
    {
        await using var rig = await TwoPodsAsync();

        var (exitCode, lines, errors) = await Generator.RunAsync(["--url", rig.Url, .. Step]);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, errors);
        var rise = Assert.Single(Generator.Events(lines, "rise"));
        Assert.Equal((1.0, 100.0, 400.0), (rise.GetProperty("elapsedSeconds").GetDouble(), rise.GetProperty("fromMillicores").GetDouble(), rise.GetProperty("toMillicores").GetDouble()));
        var newPod = Assert.Single(Generator.Events(lines, "newPod"));
        Assert.Equal("pod-b", newPod.GetProperty("host").GetString());
        Assert.InRange(newPod.GetProperty("elapsedSeconds").GetDouble(), 2, 3); // joined at 2 s (after the first request, ~0.05 s in)
        var scaledOut = Assert.Single(Generator.Events(lines, "scaledOut"));
        Assert.InRange(scaledOut.GetProperty("sinceRiseSeconds").GetDouble(), 1, 2); // the join, 1 s after the rise, within one interval
        var reached = Assert.Single(Generator.Events(lines, "podsReachedDesired"));
        Assert.Equal((2, 2), (reached.GetProperty("pods").GetInt32(), reached.GetProperty("desiredReplicas").GetInt32()));

        // Alone at 160% of its request, pod-a makes the HPA want 2; with pod-b both sit at 80%, the target.
        var seconds = Generator.Seconds(lines);
        var alone = seconds.First(s => s.GetProperty("elapsedSeconds").GetDouble() == 2).GetProperty("hpa");
        Assert.Equal((160.0, 1, 2), (alone.GetProperty("averageUtilizationPercent").GetDouble(), alone.GetProperty("currentReplicas").GetInt32(), alone.GetProperty("desiredReplicas").GetInt32()));
        Assert.Equal(80, alone.GetProperty("targetPercent").GetInt32());
        var both = seconds.Last(s => s.GetProperty("elapsedSeconds").GetDouble() <= 5);
        Assert.Equal(80.0, both.GetProperty("podUtilizationPercent").GetProperty("pod-b").GetDouble());
        Assert.Equal(2, both.GetProperty("hpa").GetProperty("desiredReplicas").GetInt32());
        Assert.InRange(both.GetProperty("fairness").GetDouble(), 0.9, 1.0); // round robin: even shares

        var row = Assert.Single(lines[^1].GetProperty("scaleOuts").EnumerateArray());
        Assert.Equal(scaledOut.GetProperty("sinceRiseSeconds").GetDouble(), row.GetProperty("scaleOutSeconds").GetDouble());
    }

    [Fact]
    public async Task ABrokenThresholdExitsThreeNamingIt()
    {
        await using var rig = await TwoPodsAsync();

        var (exitCode, lines, errors) = await Generator.RunAsync(["--url", rig.Url, .. Step, "--threshold", "scaleout<1s", "--threshold", "p99<30s"]);

        Assert.Equal(LoadCommand.ThresholdBroken, exitCode);
        Assert.Contains("threshold 'scaleout<1s' broken: rise 1 at 1 s scaled out after ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("p99<30s", errors, StringComparison.Ordinal);
        var results = lines[^1].GetProperty("thresholds").EnumerateArray().Select(t => (t.GetProperty("threshold").GetString(), t.GetProperty("met").GetBoolean())).ToList();
        Assert.Equal([("scaleout<1s", false), ("p99<30s", true)], results);
        Assert.Equal(LoadCommand.ThresholdBroken, lines[^1].GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task AnswersWithoutAPodViewGiveOneNoteAndNoHpa()
    {
        await using var rig = await TwoPodsAsync(podView: false);

        var (exitCode, lines, _) = await Generator.RunAsync("--url", rig.Url, "--rate", "20", "--duration", "3s");

        Assert.Equal(0, exitCode);
        var note = Assert.Single(Generator.Events(lines, "note"));
        Assert.Contains("no pod view", note.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(Generator.Seconds(lines), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("hpa").ValueKind));
        Assert.Single(Generator.Events(lines, "newPod")); // pods are still told apart by their host
    }

    /// <summary>A second of a demand run in which pod-a answers and the HPA wants <paramref name="desired"/>: only what the stopwatch reads.</summary>
    private static SecondReport Second(double at, double target, double achieved, double p99Ms, int pods, int desired) =>
        new(at, 1, target, achieved, null, 0, 0, 0, 0, new StatusCounts(0, 0, 0, 0, 0, 0, 0), new Percentiles(p99Ms, p99Ms, p99Ms), null,
            new Dictionary<string, long> { ["pod-a"] = 1 }, pods, new Dictionary<string, long> { ["pod-a"] = 1 })
        {
            Hpa = new HpaDecision(80, 80.0 * desired / pods, pods, desired, null),
        };

    [Fact]
    public void AStageThatSlipsBackIsTimedFromTheRecoveryThatLasts()
    {
        var stopwatch = new ScaleOutStopwatch(TimeSpan.FromSeconds(2));

        var events = new[]
        {
            Second(1, 100, 100, 50, pods: 1, desired: 1), Second(2, 400, 400, 50, pods: 1, desired: 2), Second(3, 400, 200, 3000, pods: 1, desired: 2),
            Second(4, 400, 390, 3000, pods: 1, desired: 2), Second(5, 400, 400, 900, pods: 2, desired: 2),
        }.SelectMany(stopwatch.Observe).Select(e => (e.Event, e.SinceRiseSeconds)).ToList();

        Assert.Equal(
            [("rise", 0), ("achievedRecovered", 1), ("latencyRecovered", 1), ("achievedRecovered", 3), ("podsReachedDesired", 4), ("latencyRecovered", 4), ("scaledOut", 4)],
            events);
        Assert.Equal(new ScaleOutRow(1, 1, 100, 400, null, 4, 3, 4, 4), Assert.Single(stopwatch.Rows));
    }
}
