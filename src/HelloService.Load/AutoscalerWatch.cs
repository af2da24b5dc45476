namespace HelloService.Load;

/// <summary>
/// What each closed second says about the autoscaler: every recent pod's utilization, the HPA's
/// decision on them, Jain's fairness index of the answers, the scale-out stopwatch's events,
/// warnings of pods starved of answers, and one note when the answers carry no utilization.
/// </summary>
internal sealed class AutoscalerWatch(LoadPlan plan)
{
    private readonly FairnessWatch _fairness = new();
    private readonly ScaleOutStopwatch _stopwatch = new(plan.LatencyGoal);
    private bool _noted;

    public IReadOnlyList<ScaleOutRow> Rises => _stopwatch.Rows;

    /// <summary>Completes <paramref name="second"/> with the autoscaler's view and returns it with the events of that second.</summary>
    public (SecondReport Second, IReadOnlyList<LoadEvent> Events) Observe(SecondReport second, SecondStats stats)
    {
        var events = new List<LoadEvent>();

        // Pseudo-names stand for no pod or for many: they are no replica.
        var pods = stats.HostsLast10s.Keys.Where(h => h is not (HostTally.Unknown or HostTally.Other)).ToList();
        var utilization = pods.ToDictionary(
            p => p,
            p => stats.PodReadings.TryGetValue(p, out var r) && r.UtilizationPercent is { } u ? Math.Round(u, 1) : (double?)null,
            StringComparer.Ordinal);
        var measured = pods.Where(p => stats.PodReadings.TryGetValue(p, out var r) && r.CpuRequestMillicores is not null)
            .Select(p => (stats.PodReadings[p].CpuMillicores, stats.PodReadings[p].CpuRequestMillicores!.Value))
            .ToList();
        var hpa = HpaCalculator.Decide(measured, pods.Count - measured.Count, plan.Hpa);
        if (hpa is null && pods.Count > 0 && !_noted)
        {
            _noted = true;
            events.Add(new LoadEvent("note", second.ElapsedSeconds, Message: stats.PodViewSeen
                ? "the pods do not know their CPU request (Pod__CpuRequestMillicores unset): no utilization, no HPA view"
                : "the answers carry no pod view (a HelloService from before issue 21): no utilization, no HPA view"));
        }

        var counts = pods.Select(p => second.Hosts.GetValueOrDefault(p)).ToList();
        second = second with { PodUtilizationPercent = utilization, Hpa = hpa, Fairness = Fairness.JainIndex(counts) is { } j ? Math.Round(j, 3) : null };
        events.AddRange(_stopwatch.Observe(second));
        foreach (var unfair in _fairness.Observe(second.Hosts, pods))
        {
            events.Add(new LoadEvent("unfairShare", second.ElapsedSeconds, Host: unfair.Host, SharePercent: unfair.SharePercent,
                FairSharePercent: unfair.FairSharePercent, Message: $"less than half its fair share for {unfair.Seconds} s in a row"));
        }

        return (second, events);
    }
}
