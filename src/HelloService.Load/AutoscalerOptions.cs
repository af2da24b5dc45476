using System.CommandLine;
using System.Globalization;

namespace HelloService.Load;

/// <summary>
/// The options of what the generator shows about the autoscaler: the HPA it imitates
/// (<c>--hpa-target</c>, <c>--hpa-min</c>, <c>--hpa-max</c>, defaulting to k8s/base/hpa.yaml's),
/// the stopwatch's <c>--latency-goal</c>, and the <c>--threshold</c>s that make a run exit 3.
/// </summary>
internal sealed class AutoscalerOptions
{
    public static readonly TimeSpan DefaultLatencyGoal = TimeSpan.FromSeconds(2);

    private readonly Option<string> _target = new("--hpa-target")
    {
        Description = "The HPA's target CPU utilization in percent of the pods' request (k8s/base/hpa.yaml: 80).",
        DefaultValueFactory = _ => HpaSettings.DefaultTarget.ToString(CultureInfo.InvariantCulture),
        HelpName = "percent",
    };

    private readonly Option<string> _min = new("--hpa-min")
    {
        Description = "The HPA's minReplicas (k8s/base/hpa.yaml: 1).",
        DefaultValueFactory = _ => HpaSettings.DefaultMin.ToString(CultureInfo.InvariantCulture),
        HelpName = "count",
    };

    private readonly Option<string> _max = new("--hpa-max")
    {
        Description = "The HPA's maxReplicas (k8s/base/hpa.yaml: 6).",
        DefaultValueFactory = _ => HpaSettings.DefaultMax.ToString(CultureInfo.InvariantCulture),
        HelpName = "count",
    };

    private readonly Option<string> _latencyGoal = new("--latency-goal")
    {
        Description = "The p99 latency a scale-out must bring back (the stopwatch's last stage).",
        DefaultValueFactory = _ => Quantities.FormatDuration(DefaultLatencyGoal),
        HelpName = "duration",
    };

    private readonly Option<string[]> _thresholds = new("--threshold")
    {
        Description = "Exit 3 when the run breaks it: 'achieved>=95%', 'p99<2s', 'scaleout<120s' (repeatable).",
        HelpName = "rule",
    };

    public IEnumerable<Option> All => [_target, _min, _max, _latencyGoal, _thresholds];

    /// <summary>The settings, each mistake added to <paramref name="errors"/> naming its option.</summary>
    public (HpaSettings Hpa, TimeSpan LatencyGoal, IReadOnlyList<LoadThreshold> Thresholds) Read(ParseResult result, List<string> errors)
    {
        var target = Whole(_target, result, 1, 1000, errors) ?? HpaSettings.DefaultTarget;
        var min = Whole(_min, result, 1, 1000, errors) ?? HpaSettings.DefaultMin;
        var max = Whole(_max, result, 1, 1000, errors) ?? HpaSettings.DefaultMax;
        if (min > max)
        {
            errors.Add($"--hpa-min {min} is above --hpa-max {max}");
        }

        var goal = Quantities.ParseDuration(result.GetValue(_latencyGoal)!, out var goalError);
        if (goal is null)
        {
            errors.Add($"--latency-goal: {goalError}");
        }

        var thresholds = new List<LoadThreshold>();
        foreach (var text in result.GetValue(_thresholds) ?? [])
        {
            if (LoadThreshold.Parse(text, out var error) is { } threshold)
            {
                thresholds.Add(threshold);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return (new HpaSettings(target, min, max), goal ?? DefaultLatencyGoal, thresholds);
    }

    private static int? Whole(Option<string> option, ParseResult result, int low, int high, List<string> errors)
    {
        var text = result.GetValue(option) ?? string.Empty;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= low && value <= high)
        {
            return value;
        }

        errors.Add($"{option.Name}: '{text}' is not a whole number from {low} to {high}");
        return null;
    }
}
