using System.Globalization;

namespace HelloService.Load;

/// <summary>What a <c>--threshold</c> checks.</summary>
internal enum ThresholdMetric
{
    /// <summary>CPU ms answered over CPU ms asked for, the whole run, in percent (a demand only).</summary>
    Achieved,

    /// <summary>The run's p99 latency from the scheduled send times.</summary>
    P99,

    /// <summary>Every rise in demand scaled out (see <see cref="ScaleOutStopwatch"/>) within this time.</summary>
    ScaleOut,
}

/// <summary>
/// One <c>--threshold</c>, for CI gates: <c>achieved&gt;=95%</c>, <c>p99&lt;2s</c>,
/// <c>scaleout&lt;120s</c>. A run that breaks one exits 3, naming it.
/// </summary>
internal sealed record LoadThreshold(string Text, ThresholdMetric Metric, bool Below, bool OrEqual, double Limit)
{
    /// <summary>The threshold, or null and an error in <paramref name="error"/>.</summary>
    public static LoadThreshold? Parse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        var name = new string(trimmed.TakeWhile(char.IsAsciiLetterOrDigit).ToArray());
        var rest = trimmed[name.Length..];
        var op = rest.StartsWith("<=", StringComparison.Ordinal) || rest.StartsWith(">=", StringComparison.Ordinal) ? rest[..2]
            : rest.StartsWith('<') || rest.StartsWith('>') ? rest[..1] : null;
        var metric = name.ToUpperInvariant() switch
        {
            "ACHIEVED" => ThresholdMetric.Achieved,
            "P99" => ThresholdMetric.P99,
            "SCALEOUT" => (ThresholdMetric?)ThresholdMetric.ScaleOut,
            _ => null,
        };
        if (metric is null || op is null)
        {
            error = $"--threshold: '{text}' is not one of achieved>=PERCENT%, p99<DURATION, scaleout<DURATION (like achieved>=95%, p99<2s, scaleout<120s)";
            return null;
        }

        var value = rest[op.Length..];
        double? limit = metric == ThresholdMetric.Achieved
            ? value.EndsWith('%') && double.TryParse(value[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) && percent <= 1000 ? percent : null
            : Quantities.ParseDuration(value, out _)?.TotalMilliseconds;
        if (limit is null)
        {
            error = metric == ThresholdMetric.Achieved
                ? $"--threshold: '{text}': achieved takes a percentage, like achieved>=95%"
                : $"--threshold: '{text}': {name} takes a duration, like {name}<2s";
            return null;
        }

        return new LoadThreshold(text, metric.Value, op[0] == '<', op.Length == 2, limit.Value);
    }

    /// <summary>Null when the run kept the threshold; else what it measured instead, in a few words.</summary>
    public string? Violation(FinalReport final, IReadOnlyList<ScaleOutRow> rises)
    {
        switch (Metric)
        {
            case ThresholdMetric.Achieved:
                return final.AchievedPercent is { } achieved
                    ? Holds(achieved) ? null : Invariant($"achieved {achieved:0.#}% of the demand")
                    : "no demand to achieve (--rate or --concurrency)";
            case ThresholdMetric.P99:
                return final.LatencyMs.P99 is { } p99
                    ? Holds(p99) ? null : Invariant($"p99 was {p99 / 1000:0.###} s")
                    : "no answer to measure";
            default:
                var late = rises.Where(r => r.ScaleOutSeconds is not { } s || !Holds(s * 1000)).ToList();
                return late.Count == 0 ? null : string.Join("; ", late.Select(r => r.ScaleOutSeconds is { } s
                    ? Invariant($"rise {r.Rise} at {r.AtSeconds:0.#} s scaled out after {s:0.#} s")
                    : Invariant($"rise {r.Rise} at {r.AtSeconds:0.#} s had not scaled out when the run ended")));
        }
    }

    private bool Holds(double value) => (Below, OrEqual) switch
    {
        (true, true) => value <= Limit,
        (true, false) => value < Limit,
        (false, true) => value >= Limit,
        _ => value > Limit,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
