using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HelloService.Load;

/// <summary>Writes the run's lines: text for people, or NDJSON for scripts (<c>--json</c>).</summary>
internal abstract class LoadReporter(TextWriter output)
{
    protected TextWriter Output => output;

    public static LoadReporter For(LoadPlan plan, TextWriter output) =>
        plan.Json ? new JsonLoadReporter(output) : new TextLoadReporter(output);

    public abstract void Start(LoadPlan plan);

    public abstract void Second(SecondReport second);

    public abstract void Final(FinalReport final);
}

internal sealed class JsonLoadReporter(TextWriter output) : LoadReporter(output)
{
    public override void Start(LoadPlan plan)
    {
        // NDJSON holds only the per-second objects and the final one.
    }

    public override void Second(SecondReport second)
    {
        Output.WriteLine(JsonSerializer.Serialize(second, LoadJsonContext.Default.SecondReport));
        Output.Flush();
    }

    public override void Final(FinalReport final)
    {
        Output.WriteLine(JsonSerializer.Serialize(final, LoadJsonContext.Default.FinalReport));
        Output.Flush();
    }
}

internal sealed class TextLoadReporter(TextWriter output) : LoadReporter(output)
{
    private const int HostsPerLine = 6;

    public override void Start(LoadPlan plan)
    {
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

        Output.WriteLine(line.ToString());
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

        Output.WriteLine(Invariant($"  exit {f.ExitCode}"));
        Output.Flush();
    }

    private static string Ms(double? value) => value is { } v ? Invariant($"{v:0.0}ms") : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
