using System.Globalization;
using System.Text;

namespace HelloService.Load;

/// <summary>Lines for people: one per second (and one for the HPA's view), events as they happen, the summary with its tables.</summary>
internal sealed class TextLoadReporter(TextWriter output) : LoadReporter(output)
{
    private const int HostsPerLine = 6;
    private string _latencyGoal = Quantities.FormatDuration(AutoscalerOptions.DefaultLatencyGoal);

    public override void Start(LoadPlan plan)
    {
        _latencyGoal = Quantities.FormatDuration(plan.LatencyGoal);
        Output.WriteLine($"load: {plan.Describe()} -> {plan.Target}");
        Output.Flush();
    }

    public override void Second(SecondReport s)
    {
        var line = new StringBuilder();
        line.Append(Invariant($"{s.ElapsedSeconds,5:0.#}s "));
        line.Append(s.TargetMillicores is { } target ? Invariant($"target {target,6:0}m ") : string.Empty);
        line.Append(Invariant($"achieved {s.AchievedMillicores,6:0}m | {s.RequestsPerSecond,6:0.#} req/s | "));
        var st = s.Statuses;
        line.Append(Invariant($"200:{st.Ok} 503:{st.Unavailable} 4xx:{st.ClientErrors} 5xx:{st.ServerErrors} err:{st.TransportErrors} drop:{st.Dropped}"));
        if (st.OtherStatuses > 0)
        {
            line.Append(Invariant($" other:{st.OtherStatuses}"));
        }

        line.Append(Invariant($" | p50 {Ms(s.LatencyMs.P50)} p99 {Ms(s.LatencyMs.P99)} | pods {s.PodsLast10s}"));
        var total = s.HostsLast10s.Values.Sum();
        var shown = 0;
        foreach (var (host, count) in s.HostsLast10s.OrderByDescending(h => h.Value).ThenBy(h => h.Key, StringComparer.Ordinal))
        {
            if (shown++ == HostsPerLine)
            {
                line.Append(Invariant($" +{s.HostsLast10s.Count - HostsPerLine} more"));
                break;
            }

            line.Append(Invariant($"{(shown == 1 ? ": " : ", ")}{host} {100.0 * count / total:0}%"));
        }

        if (s.Fairness is { } fairness)
        {
            line.Append(Invariant($" | fair {fairness:0.00}"));
        }

        Output.WriteLine(line.ToString());
        if (s.Hpa is { } hpa)
        {
            Output.WriteLine(HpaLine(hpa, s.PodUtilizationPercent));
        }

        Output.Flush();
    }

    /// <summary>The HPA's view: <c>hpa: 3 pods at 96% of 80% -> wants 4 | pod-a 120%, pod-b 80%</c>.</summary>
    private static string HpaLine(HpaDecision hpa, Dictionary<string, double?> utilization)
    {
        var line = new StringBuilder(Invariant(
            $"       hpa: {hpa.CurrentReplicas} pod(s) at {hpa.AverageUtilizationPercent:0}% of their request, target {hpa.TargetPercent}% -> wants {hpa.DesiredReplicas}"));
        if (hpa.LimitedBy is { } limit)
        {
            line.Append(Invariant($" ({limit})"));
        }

        var shown = 0;
        foreach (var (pod, percent) in utilization.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if (shown++ == HostsPerLine)
            {
                line.Append(Invariant($" +{utilization.Count - HostsPerLine} more"));
                break;
            }

            line.Append(Invariant($"{(shown == 1 ? " | " : ", ")}{pod} {(percent is { } p ? Invariant($"{p:0}%") : "?")}"));
        }

        return line.ToString();
    }

    public override void Event(LoadEvent e)
    {
        var rise = e.Rise is { } n ? Invariant($"rise {n}") : string.Empty;
        var after = e.SinceRiseSeconds is { } since ? Invariant($" {since:0.#} s after {rise}") : string.Empty;
        Output.WriteLine(e.Event switch
        {
            "rise" => Invariant($"  >> {rise} at {e.ElapsedSeconds:0.#}s: demand {e.FromMillicores:0}m -> {e.ToMillicores:0}m, stopwatch started"),
            "newPod" => Invariant($"  >> new pod {e.Host}{after}, {e.Pods} answering"),
            "podsReachedDesired" => Invariant($"  >> {rise}: {e.Pods} pods answering, the HPA's {e.DesiredReplicas}, after {e.SinceRiseSeconds:0.#} s"),
            "achievedRecovered" => Invariant($"  >> {rise}: achieved back to 95% of the target after {e.SinceRiseSeconds:0.#} s"),
            "latencyRecovered" => Invariant($"  >> {rise}: p99 back under {_latencyGoal} after {e.SinceRiseSeconds:0.#} s"),
            "scaledOut" => Invariant($"  >> {rise} scaled out in {e.SinceRiseSeconds:0.#} s"),
            "unfairShare" => Invariant($"  !! {e.Host} got {e.SharePercent:0.#}% of the answers, under half its fair {e.FairSharePercent:0.#}%, for 10 s: connections pinned to older pods?"),
            _ => $"  note: {e.Message}",
        });
        Output.Flush();
    }

    public override void Final(FinalReport f)
    {
        var st = f.Statuses;
        Output.WriteLine(Invariant($"load: {f.Outcome} after {f.ElapsedSeconds:0.0} s: {f.Plan}"));
        Output.WriteLine(Invariant($"  sent {f.Sent}, answered {f.Requests - st.TransportErrors}, failed without an answer {st.TransportErrors}, unfinished {f.Unfinished}, dropped {st.Dropped} (over --max-in-flight)"));
        Output.WriteLine(Invariant($"  200: {st.Ok}  503: {st.Unavailable}  4xx: {st.ClientErrors}  5xx: {st.ServerErrors}  other: {st.OtherStatuses}  transport errors: {st.TransportErrors} ({f.TransportErrorPercent:0.##}%)"));
        Output.WriteLine((f.TargetMillicores is { } target ? Invariant($"  demand: target {target:0}m on average, ") : "  demand: ")
            + Invariant($"achieved {f.AchievedMillicores:0}m (CPU ms answered per second)"));
        Output.WriteLine(Invariant($"  latency from the scheduled send time: p50 {Ms(f.LatencyMs.P50)} p99 {Ms(f.LatencyMs.P99)} max {Ms(f.LatencyMs.Max)}; schedule lag p99 {Ms(f.ScheduleLagMs.P99)} max {Ms(f.ScheduleLagMs.Max)}"));
        if (f.PerHost.Count > 0)
        {
            var width = Math.Max(4, f.PerHost.Keys.Max(k => k.Length));
            Output.WriteLine(Invariant($"  {"pod".PadRight(width)}  requests  share  achieved    p50 ms    p99 ms"));
            foreach (var (host, h) in f.PerHost.OrderByDescending(h => h.Value.Requests).ThenBy(h => h.Key, StringComparer.Ordinal))
            {
                Output.WriteLine(Invariant($"  {host.PadRight(width)}  {h.Requests,8}  {100 * h.Share,4:0}%  {h.AchievedMillicores,7:0}m  {h.LatencyMs.P50,8:0.0}  {h.LatencyMs.P99,8:0.0}"));
            }
        }

        ScaleOuts(f.ScaleOuts);
        foreach (var t in f.Thresholds)
        {
            Output.WriteLine(t.Met ? $"  threshold {t.Threshold}: kept" : $"  threshold {t.Threshold}: BROKEN, {t.Measured}");
        }

        Output.WriteLine(Invariant($"  exit {f.ExitCode}"));
        Output.Flush();
    }

    /// <summary>The stopwatch table: seconds from each rise to each stage, "-" for a stage not reached.</summary>
    private void ScaleOuts(IReadOnlyList<ScaleOutRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Output.WriteLine("  rise  at s   demand              new pod  pods=desired  achieved 95%  p99<goal  scaled out");
        foreach (var r in rows)
        {
            var demand = Invariant($"{r.FromMillicores:0}m -> {r.ToMillicores:0}m");
            Output.WriteLine(Invariant($"  {r.Rise,4}  {r.AtSeconds,5:0.#}  {demand,-18}  {S(r.NewPodSeconds),7}  {S(r.PodsReachedDesiredSeconds),12}  {S(r.AchievedSeconds),12}  {S(r.LatencySeconds),8}  {S(r.ScaleOutSeconds),10}"));
        }
    }

    private static string S(double? seconds) => seconds is { } s ? Invariant($"{s:0.#}s") : "-";

    private static string Ms(double? value) => value is { } v ? Invariant($"{v:0.0}ms") : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
