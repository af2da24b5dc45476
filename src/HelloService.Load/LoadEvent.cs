using System.Text.Json.Serialization;

namespace HelloService.Load;

/// <summary>
/// One NDJSON line that is not a second: <c>rise</c>, <c>newPod</c>, <c>podsReachedDesired</c>,
/// <c>achievedRecovered</c>, <c>latencyRecovered</c>, <c>scaledOut</c> (the stopwatch),
/// <c>unfairShare</c> (fairness) or <c>note</c>. Fields that do not apply are left out.
/// </summary>
/// <param name="ElapsedSeconds">Since the run started: the end of the second in which it was seen.</param>
/// <param name="Rise">The rise in demand it belongs to (1, 2, ...); for newPod, the latest rise, if any.</param>
/// <param name="SinceRiseSeconds">Since that rise began: what the stopwatch measures.</param>
internal sealed record LoadEvent(
    string Event,
    double ElapsedSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Rise = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SinceRiseSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? FromMillicores = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ToMillicores = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Pods = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DesiredReplicas = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SharePercent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? FairSharePercent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);
