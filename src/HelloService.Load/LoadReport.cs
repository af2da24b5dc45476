using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelloService.Load;

/// <summary>Answers by category, as printed: the JSON keys are the status classes themselves.</summary>
internal sealed record StatusCounts(
    [property: JsonPropertyName("200")] long Ok,
    [property: JsonPropertyName("503")] long Unavailable,
    [property: JsonPropertyName("4xx")] long ClientErrors,
    [property: JsonPropertyName("5xx")] long ServerErrors,
    long OtherStatuses,
    long TransportErrors,
    long Dropped)
{
    public static StatusCounts From(StatusTally tally) => new(
        tally.Ok, tally.Unavailable, tally.ClientErrors, tally.ServerErrors, tally.OtherStatuses, tally.TransportErrors, tally.Dropped);
}

/// <summary>Latency percentiles in milliseconds; null when nothing answered.</summary>
internal sealed record Percentiles(double? P50, double? P99, double? Max)
{
    public static Percentiles Of(LatencyHistogram histogram) =>
        new(histogram.PercentileMs(0.50), histogram.PercentileMs(0.99), histogram.MaxMs);
}

/// <summary>One second of the run (the last one may be shorter: see <see cref="IntervalSeconds"/>).</summary>
/// <param name="TargetMillicores">The demand asked for in this second; null without a demand (--rate, --concurrency).</param>
/// <param name="AchievedMillicores">CPU ms the 200 answers of this second reported, per second.</param>
/// <param name="Requests">Answers received in this second, transport errors included.</param>
/// <param name="Hosts">200 answers of this second per pod.</param>
/// <param name="HostsLast10s">200 answers of the last ten seconds per pod: who is serving now.</param>
internal sealed record SecondReport(
    double ElapsedSeconds,
    double IntervalSeconds,
    double? TargetMillicores,
    double AchievedMillicores,
    double? TargetRequestsPerSecond,
    double RequestsPerSecond,
    long Requests,
    long Sent,
    int InFlight,
    StatusCounts Statuses,
    Percentiles LatencyMs,
    double? ScheduleLagP99Ms,
    Dictionary<string, long> Hosts,
    int PodsLast10s,
    Dictionary<string, long> HostsLast10s)
{
    /// <summary>Each pod of the last 10 s and its CPU utilization (of its request) from its latest answer; null when it did not say.</summary>
    public Dictionary<string, double?> PodUtilizationPercent { get; init; } = [];

    /// <summary>What the HPA would decide from those pods; null when none reported a utilization.</summary>
    public HpaDecision? Hpa { get; init; }

    /// <summary>Jain's fairness index of this second's answers over the pods of the last 10 s; null without answers.</summary>
    public double? Fairness { get; init; }
}

/// <summary>One pod's part of the whole run.</summary>
internal sealed record HostSummary(long Requests, double Share, double CpuMs, double AchievedMillicores, Percentiles LatencyMs);

/// <summary>The last line: the whole run, with a row per pod.</summary>
/// <param name="Unfinished">Sent and never answered: open when the run ended.</param>
/// <param name="FailedPercent">Transport errors and, unless the run was interrupted, unfinished requests, as a share of those sent.</param>
/// <param name="Cause">Why the run failed (exit code 1), once: the first transport error, or the first refusal when nothing succeeded.</param>
internal sealed record FinalReport(
    bool Final,
    string Outcome,
    int ExitCode,
    string Plan,
    string Url,
    double ElapsedSeconds,
    double? TargetMillicores,
    double AchievedMillicores,
    long Sent,
    long Requests,
    long Unfinished,
    StatusCounts Statuses,
    double TransportErrorPercent,
    double FailedPercent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Cause,
    Percentiles LatencyMs,
    Percentiles ScheduleLagMs,
    Dictionary<string, long> Hosts,
    Dictionary<string, HostSummary> PerHost,
    double? PeakRssMiB)
{
    /// <summary>CPU ms answered as a percentage of the CPU ms the demand asked for; null without a demand.</summary>
    public double? AchievedPercent { get; init; }

    /// <summary>The stopwatch: a row per rise in demand.</summary>
    public IReadOnlyList<ScaleOutRow> ScaleOuts { get; init; } = [];

    /// <summary>Each <c>--threshold</c> and whether the run kept it.</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];
}

/// <summary>One <c>--threshold</c> after the run: kept, or broken with what was measured instead.</summary>
internal sealed record ThresholdResult(string Threshold, bool Met, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Measured);

/// <summary>Source-generated JSON for the generator's NDJSON (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SecondReport))]
[JsonSerializable(typeof(FinalReport))]
[JsonSerializable(typeof(HoldEvent))]
[JsonSerializable(typeof(LoadEvent))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
