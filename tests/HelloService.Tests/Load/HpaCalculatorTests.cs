using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>
/// The HPA arithmetic against the worked examples and rules of the Kubernetes documentation,
/// "Horizontal Pod Autoscaling", section "Algorithm details"
/// (https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/#algorithm-details),
/// and the replica calculator it describes (kubernetes pkg/controller/podautoscaler/replica_calculator.go).
/// </summary>
public class HpaCalculatorTests
{
    private static readonly HpaSettings Wide = new(TargetPercent: 100, MinReplicas: 1, MaxReplicas: 100);

    /// <summary>n pods with the same 1000m request, each at <paramref name="percent"/> of it.</summary>
    private static List<(double Usage, double Request)> Pods(int n, double percent) =>
        Enumerable.Range(0, n).Select(_ => (percent * 10, 1000.0)).ToList();

    [Fact]
    public void CurrentTwiceTheTargetDoublesTheReplicas()
    {
        // Docs: "if the current metric value is 200m, and the desired value is 100m, the number of
        // replicas will be doubled, since 200.0 / 100.0 == 2.0".
        var decision = HpaCalculator.Decide(Pods(3, 200), 0, Wide)!;

        Assert.Equal(new HpaDecision(100, 200, 3, 6, null), decision);
    }

    [Fact]
    public void CurrentHalfTheTargetHalvesTheReplicas()
    {
        // Docs: "If the current value is instead 50m, you'll halve the number of replicas, since 50.0 / 100.0 == 0.5".
        var decision = HpaCalculator.Decide(Pods(4, 50), 0, Wide)!;

        Assert.Equal(2, decision.DesiredReplicas);
        Assert.Null(decision.LimitedBy);
    }

    [Fact]
    public void TheFormulaRoundsUp()
    {
        // Docs: desiredReplicas = ceil[currentReplicas * (currentMetricValue / desiredMetricValue)]:
        // 1 replica at 50% of a 100% target stays 1 (ceil 0.5); 3 at 90% of 80% want ceil(3.375) = 4.
        Assert.Equal(1, HpaCalculator.Decide(Pods(1, 50), 0, Wide)!.DesiredReplicas);
        Assert.Equal(4, HpaCalculator.Decide(Pods(3, 90), 0, new HpaSettings(80, 1, 10))!.DesiredReplicas);

        // k8s/base/hpa.yaml's comment: one busy pod at ~128% of its request asks for two.
        Assert.Equal(2, HpaCalculator.Decide([(900, 700)], 0, new HpaSettings())!.DesiredReplicas);
    }

    [Fact]
    public void ARatioWithinTheToleranceChangesNothing()
    {
        // Docs: "The control plane skips any scaling action if the ratio is sufficiently close to
        // 1.0 (within a globally-configurable tolerance, 0.1 by default)."
        var up = HpaCalculator.Decide(Pods(4, 108), 0, Wide)!; // ceil(4.32) = 5 without the tolerance
        var down = HpaCalculator.Decide(Pods(4, 91), 0, Wide)!; // ceil(3.64) = 4 anyway
        var beyond = HpaCalculator.Decide(Pods(4, 111), 0, Wide)!;

        Assert.Equal((4, "tolerance"), (up.DesiredReplicas, up.LimitedBy));
        Assert.Equal((4, (string?)null), (down.DesiredReplicas, down.LimitedBy));
        Assert.Equal((5, (string?)null), (beyond.DesiredReplicas, beyond.LimitedBy));
    }

    [Fact]
    public void MinAndMaxReplicasClampTheCount()
    {
        // Docs: the HPA scales "within the bounds of minReplicas and maxReplicas" (spec fields).
        var high = HpaCalculator.Decide(Pods(4, 400), 0, new HpaSettings(80, 1, 6))!; // ceil(20) = 20
        var low = HpaCalculator.Decide(Pods(4, 5), 0, new HpaSettings(80, 3, 6))!; // ceil(0.25) = 1

        Assert.Equal((6, "maxReplicas"), (high.DesiredReplicas, high.LimitedBy));
        Assert.Equal((3, "minReplicas"), (low.DesiredReplicas, low.LimitedBy));
    }

    [Fact]
    public void MissingPodsCountAsZeroOnTheWayUpAndFullOnTheWayDown()
    {
        // Docs: "If there were any missing metrics, the control plane recomputes the average more
        // conservatively, assuming those Pods were consuming 100% of the desired value in case of a
        // scale down, and 0% in case of a scale up."
        // Up: 2 pods at 200% and 2 missing -> (400 + 0) / 4 = 100% of a 50% target -> ceil(4 x 2) = 8.
        var up = HpaCalculator.Decide(Pods(2, 200), 2, new HpaSettings(50, 1, 20))!;

        // Down: 2 pods at 10% and 3 missing at 100% -> 64% of a 50% target: the direction reverses, no change.
        var down = HpaCalculator.Decide(Pods(2, 10), 3, new HpaSettings(50, 1, 20))!;

        // Down again: 4 at 0% and 1 missing at 100% -> 20% of 100% -> ceil(5 x 0.2) = 1.
        var further = HpaCalculator.Decide(Pods(4, 0), 1, Wide)!;

        Assert.Equal((4, 8), (up.CurrentReplicas, up.DesiredReplicas));
        Assert.Equal(200, up.AverageUtilizationPercent); // what is shown is what was measured
        Assert.Equal((5, (string?)null), (down.DesiredReplicas, down.LimitedBy));
        Assert.Equal(1, further.DesiredReplicas);
    }

    [Fact]
    public void MissingPodsThatBringTheRatioWithinToleranceChangeNothing()
    {
        // Docs: "if the new ratio reverses the scale direction, or is within the tolerance, the control plane skips any scaling action".
        // 3 pods at 140% and 1 missing at 0%: (420 + 0) / 4 = 105% of 100%, within 0.1 -> stay at 4.
        var decision = HpaCalculator.Decide(Pods(3, 140), 1, Wide)!;

        Assert.Equal((4, "tolerance"), (decision.DesiredReplicas, decision.LimitedBy));
    }

    [Fact]
    public void UtilizationIsUsageOverRequestsSummedOverThePods()
    {
        // The controller divides the pods' summed usage by their summed requests
        // (metricsclient.GetResourceUtilizationRatio): 300m + 300m over 500m + 1000m is 40%.
        var decision = HpaCalculator.Decide([(300, 500), (300, 1000)], 0, new HpaSettings(80, 1, 6))!;

        Assert.Equal(40, decision.AverageUtilizationPercent);
        Assert.Equal(1, decision.DesiredReplicas); // ceil(2 x 0.5)
    }

    [Fact]
    public void NoPodWithAMetricMeansNoDecision()
    {
        Assert.Null(HpaCalculator.Decide([], 3, Wide));
    }
}
