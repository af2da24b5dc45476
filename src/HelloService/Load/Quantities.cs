using System.Globalization;
using System.Text.RegularExpressions;

namespace HelloService.Load;

/// <summary>
/// The two kinds of value the load command reads: CPU quantities as Kubernetes writes them
/// (<c>600m</c>, <c>1.5</c>, <c>2</c>) and durations (<c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c>).
/// Each parser returns null and a message that says what was expected instead of throwing.
/// </summary>
internal static partial class Quantities
{
    /// <summary>The longest run the generator accepts, whatever the profile says.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>1000 cores: far beyond any demo cluster, small enough that the arithmetic stays exact.</summary>
    public const double MaxMillicores = 1_000_000;

    /// <summary>Parses a CPU quantity into millicores: <c>600m</c> is 600, <c>1.5</c> is 1500.</summary>
    public static double? ParseMillicores(string text, out string? error)
    {
        var match = CpuQuantity().Match(text.Trim());
        error = null;
        if (!match.Success)
        {
            error = LongCpuQuantity().IsMatch(text.Trim())
                ? $"'{text}' has too many digits: the most is {MaxMillicores / 1000:0} cores, to 6 decimal places"
                : $"'{text}' is not a CPU quantity: write millicores like 600m or cores like 1.5 or 2";
            return null;
        }

        var number = double.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var millicores = match.Groups["milli"].Success ? number : number * 1000;
        if (millicores > MaxMillicores)
        {
            error = $"'{text}' is more than {MaxMillicores / 1000:0} cores";
            return null;
        }

        return millicores;
    }

    /// <summary>Parses a duration written with units: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c>, <c>500ms</c>.</summary>
    public static TimeSpan? ParseDuration(string text, out string? error)
    {
        var match = DurationPattern().Match(text.Trim());
        error = null;
        if (!match.Success || match.Length == 0)
        {
            var trimmed = text.Trim();
            error = FractionalDuration().IsMatch(trimmed)
                ? $"'{text}' has a fraction: write whole units, like 1m30s or 1500ms"
                : LongDuration().IsMatch(trimmed)
                    ? $"'{text}' is too large: each unit takes at most 6 digits, and no run lasts over {FormatDuration(MaxDuration)}"
                    : $"'{text}' is not a duration: write it with a unit, like 30s, 5m, 1h or 1m30s";
            return null;
        }

        static long Part(Match m, string name) =>
            m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;

        // Each part has at most 6 digits (the pattern), so the sum cannot overflow.
        var duration = TimeSpan.FromHours(Part(match, "h")) + TimeSpan.FromMinutes(Part(match, "m"))
            + TimeSpan.FromSeconds(Part(match, "s")) + TimeSpan.FromMilliseconds(Part(match, "ms"));
        if (duration <= TimeSpan.Zero)
        {
            error = $"'{text}' is not a positive duration";
            return null;
        }

        return duration;
    }

    /// <summary>Writes millicores the way they were read: <c>1500m</c>.</summary>
    public static string FormatMillicores(double millicores) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Round(millicores):0}m");

    /// <summary>Writes a duration in the units it was most likely given in: <c>90s</c>, <c>5m</c>, <c>1h</c>.</summary>
    public static string FormatDuration(TimeSpan duration) => duration switch
    {
        { TotalHours: >= 1 } when duration.TotalHours == Math.Floor(duration.TotalHours) => $"{duration.TotalHours:0}h",
        { TotalMinutes: >= 1 } when duration.TotalMinutes == Math.Floor(duration.TotalMinutes) => $"{duration.TotalMinutes:0}m",
        _ when duration.TotalSeconds == Math.Floor(duration.TotalSeconds) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms"),
    };

    [GeneratedRegex(@"^(?<number>[0-9]{1,9}(\.[0-9]{1,6})?|\.[0-9]{1,6})(?<milli>m)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CpuQuantity();

    [GeneratedRegex(@"^((?<h>[0-9]{1,6})h)?((?<m>[0-9]{1,6})m(?!s))?((?<s>[0-9]{1,6})s)?((?<ms>[0-9]{1,6})ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    // The same shapes with any number of digits, to tell "too large" from "not a number at all".
    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?|\.[0-9]+)m?$", RegexOptions.CultureInvariant)]
    private static partial Regex LongCpuQuantity();

    [GeneratedRegex(@"^([0-9]+(h|m|s|ms))+$", RegexOptions.CultureInvariant)]
    private static partial Regex LongDuration();

    [GeneratedRegex(@"^[0-9]*\.[0-9]+(h|m|s|ms)$", RegexOptions.CultureInvariant)]
    private static partial Regex FractionalDuration();
}
