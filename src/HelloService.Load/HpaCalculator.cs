namespace HelloService.Load;

/// <summary>
/// The replica count a CPU-utilization HPA computes, as the Kubernetes documentation
/// ("Horizontal Pod Autoscaling", Algorithm details) and the controller's replica calculator
/// (pkg/controller/podautoscaler/replica_calculator.go) define it:
/// desiredReplicas = ceil(currentReplicas x currentUtilization / targetUtilization), no change
/// while the ratio is within the 0.1 tolerance of 1, pods without metrics counted at 0% of
/// their request on a scale-up and 100% (or the target, when above 100%) on a scale-down, the
/// decision dropped when that reverses the direction, then clamped to min and max. Behavior
/// policies and stabilization windows (rate limits over time) are not imitated.
/// </summary>
internal static class HpaCalculator
{
    /// <param name="measured">Usage and request of each pod with a metric (utilization = sum of usage / sum of requests, as the controller weights it).</param>
    /// <param name="missing">Pods that exist but have no metric; each is taken to have the measured pods' average request.</param>
    /// <returns>Null when no pod has a metric: the HPA would not act.</returns>
    public static HpaDecision? Decide(IReadOnlyCollection<(double Usage, double Request)> measured, int missing, HpaSettings hpa)
    {
        var usage = measured.Sum(p => p.Usage);
        var requests = measured.Sum(p => p.Request);
        if (measured.Count == 0 || requests <= 0)
        {
            return null;
        }

        var current = measured.Count + missing;
        var utilization = 100 * usage / requests;
        var ratio = utilization / hpa.TargetPercent;
        var (raw, withinTolerance, reversed) = Replicas(measured.Count, missing, usage, requests, ratio, current, hpa.TargetPercent);
        var desired = withinTolerance || reversed ? current : raw;

        // A count the missing pods' assumption turned round is no decision; only the tolerance is named.
        string? limitedBy = withinTolerance && raw != current ? "tolerance" : null;
        if (desired > hpa.MaxReplicas)
        {
            (desired, limitedBy) = (hpa.MaxReplicas, "maxReplicas");
        }
        else if (desired < hpa.MinReplicas)
        {
            (desired, limitedBy) = (hpa.MinReplicas, "minReplicas");
        }

        return new HpaDecision(hpa.TargetPercent, Math.Round(utilization, 1), current, desired, limitedBy);
    }

    /// <summary>The formula's count, and whether the tolerance or a reversed direction keeps the current one instead.</summary>
    private static (int Raw, bool WithinTolerance, bool Reversed) Replicas(int measured, int missing, double usage, double requests, double ratio, int current, int target)
    {
        if (missing == 0)
        {
            return (Ceiling(ratio * measured), Math.Abs(ratio - 1) <= HpaSettings.Tolerance, false);
        }

        // Missing pods: 0% of their request on the way up, 100% (or the target above 100%) on the way down.
        var request = requests / measured;
        var assumed = ratio < 1 ? missing * request * Math.Max(100, target) / 100 : ratio > 1 ? 0 : missing * request * target / 100;
        var newRatio = 100 * (usage + assumed) / (requests + (missing * request)) / target;
        var raw = Ceiling(newRatio * current);
        var reversed = (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)
            || (newRatio < 1 && raw > current) || (newRatio > 1 && raw < current);
        return (raw, Math.Abs(newRatio - 1) <= HpaSettings.Tolerance, reversed);
    }

    /// <summary>The ceiling, less floating-point noise: 2.0000000001 pods are 2.</summary>
    private static int Ceiling(double replicas) => (int)Math.Min(int.MaxValue, Math.Ceiling(Math.Round(replicas, 9)));
}
