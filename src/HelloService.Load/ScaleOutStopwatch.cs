namespace HelloService.Load;

/// <summary>
/// Times each scale-out from the client side. A rise in demand begins in a second whose target
/// is at least <see cref="RiseFactor"/> times the lowest target since the last rise (a step, or a
/// ramp crossing the next level); from then on it notes, once each, the first pod not seen
/// before, the answering pods reaching the HPA's desired count, achieved demand back to 95% of
/// the target, and p99 latency back under the goal (these two timed from the recovery that
/// lasts). The rise has scaled out in the first second in which all hold (the pod count is left
/// out while no answer carries a pod view).
/// </summary>
internal sealed class ScaleOutStopwatch(TimeSpan latencyGoal)
{
    public const double RiseFactor = 1.2;
    public const double AchievedFraction = 0.95;
    public const int MaxRises = 200;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<Rise> _rises = [];
    private bool _started;
    private double? _lowest;

    public IReadOnlyList<ScaleOutRow> Rows => _rises.Select(r => r.Row()).ToList();

    public IReadOnlyList<LoadEvent> Observe(SecondReport second)
    {
        var events = new List<LoadEvent>();
        var at = second.ElapsedSeconds;
        var from = Math.Round(at - second.IntervalSeconds, 3);
        if (second.TargetMillicores is { } target)
        {
            if (_lowest is { } lowest && target >= lowest * RiseFactor && target - lowest >= 1 && _rises.Count < MaxRises)
            {
                _rises.Add(new Rise(_rises.Count + 1, from, lowest, target));
                events.Add(new LoadEvent("rise", from, _rises.Count, 0, FromMillicores: lowest, ToMillicores: target));
                _lowest = target;
            }
            else
            {
                _lowest = Math.Min(_lowest ?? target, target);
            }
        }

        // The pods of the first second with answers were there from the start; any later one is new.
        var latest = _rises.Count > 0 ? _rises[^1] : null;
        foreach (var host in second.Hosts.Keys.Order(StringComparer.Ordinal))
        {
            if (_seen.Count < HostTally.MaxHosts + 2 && _seen.Add(host) && _started)
            {
                events.Add(new LoadEvent("newPod", at, latest?.Number, latest is null ? null : Since(latest, at), host, Pods: second.PodsLast10s));
                foreach (var rise in _rises.Where(r => r.NewPod is null))
                {
                    rise.NewPod = Since(rise, at);
                }
            }
        }

        _started |= second.Hosts.Count > 0;
        foreach (var rise in _rises.Where(r => r.ScaledOut is null))
        {
            Stages(rise, second, at, events);
        }

        return events;
    }

    private void Stages(Rise rise, SecondReport second, double at, List<LoadEvent> events)
    {
        var since = Since(rise, at);
        if (rise.PodsReached is null && second.Hpa is { } hpa && second.PodsLast10s >= hpa.DesiredReplicas)
        {
            rise.PodsReached = since;
            events.Add(new LoadEvent("podsReachedDesired", at, rise.Number, since, Pods: second.PodsLast10s, DesiredReplicas: hpa.DesiredReplicas));
        }

        // Achieved demand and latency must hold until the rise has scaled out: a stage that slips
        // back (a lone pod saturating after a good first second) is timed again from its recovery.
        var achievedOk = second.TargetMillicores is > 0 and var target && second.AchievedMillicores >= AchievedFraction * target;
        rise.Achieved = achievedOk ? rise.Achieved ?? Stage("achievedRecovered", rise, at, since, events) : null;
        var latencyOk = second.LatencyMs.P99 is { } p99 && p99 < latencyGoal.TotalMilliseconds;
        rise.Latency = latencyOk ? rise.Latency ?? Stage("latencyRecovered", rise, at, since, events) : null;
        var podsDone = rise.PodsReached is not null || second.Hpa is null;
        if (podsDone && rise.Achieved is { } achieved && rise.Latency is { } latency)
        {
            rise.ScaledOut = Math.Max(Math.Max(achieved, latency), rise.PodsReached ?? 0);
            events.Add(new LoadEvent("scaledOut", at, rise.Number, rise.ScaledOut, Pods: second.PodsLast10s));
        }
    }

    private static double Stage(string name, Rise rise, double at, double since, List<LoadEvent> events)
    {
        events.Add(new LoadEvent(name, at, rise.Number, since));
        return since;
    }

    private static double Since(Rise rise, double at) => Math.Round(at - rise.At, 3);

    private sealed class Rise(int number, double at, double from, double to)
    {
        public int Number => number;

        public double At => at;

        public double? NewPod { get; set; }

        public double? PodsReached { get; set; }

        public double? Achieved { get; set; }

        public double? Latency { get; set; }

        public double? ScaledOut { get; set; }

        public ScaleOutRow Row() => new(number, at, Math.Round(from, 1), Math.Round(to, 1), NewPod, PodsReached, Achieved, Latency, ScaledOut);
    }
}
