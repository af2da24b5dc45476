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

    /// <summary>
    /// The most cores a number without a unit may ask for: more than a large machine has, far less
    /// than the millicores people mean when they leave out the <c>m</c> (<c>--hold 850</c>).
    /// Beyond it the number is refused with a hint; <c>850000m</c> still asks for 850 cores.
    /// </summary>
    public const double MaxBareCores = 64;

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
        if (!match.Groups["milli"].Success && number > MaxBareCores)
        {
            var trimmed = text.Trim();
            error = $"'{trimmed}' is {trimmed} cores (a number without m counts cores, as in Kubernetes): did you mean {trimmed}m?"
                + (millicores <= MaxMillicores ? $" For {trimmed} cores write {FormatMillicores(millicores)}." : string.Empty);
            return null;
        }

        if (millicores > MaxMillicores)
        {
            error = $"'{text}' is more than {MaxMillicores / 1000:0} cores";
            return null;
        }

        return millicores;
    }

    /// <summary>
    /// Parses a duration written with units: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c>,
    /// <c>500ms</c>; each unit at most once, in the order h, m, s, ms.
    /// </summary>
    public static TimeSpan? ParseDuration(string text, out string? error)
    {
        var trimmed = text.Trim();
        var match = DurationPattern().Match(trimmed);
        error = null;
        if (!match.Success || match.Length == 0)
        {
            error = trimmed.Contains('.', StringComparison.Ordinal) && FractionalDuration().IsMatch(trimmed)
                ? $"'{text}' has a fraction: write whole units, like 1m30s or 1500ms"
                : UnitsOnly().IsMatch(trimmed)
                    ? $"'{text}' repeats a unit or has them out of order: write each at most once, in the order h, m, s, ms, like 1h30m"
                    : $"'{text}' is not a duration: write it with a unit, like 30s, 5m, 1h or 1m30s";
            return null;
        }

        // Any number of digits is read; more than 12 significant ones, or a sum beyond what a
        // TimeSpan holds, is "too large" rather than "not a duration".
        decimal milliseconds = 0;
        foreach (var (unit, scale) in new[] { ("h", 3_600_000m), ("m", 60_000m), ("s", 1_000m), ("ms", 1m) })
        {
            var digits = match.Groups[unit].Value.TrimStart('0');
            if (digits.Length > 12)
            {
                milliseconds = decimal.MaxValue;
                break;
            }

            milliseconds += digits.Length == 0 ? 0 : long.Parse(digits, CultureInfo.InvariantCulture) * scale;
        }

        if (milliseconds > MaxMilliseconds)
        {
            error = $"'{text}' is too large for a duration";
            return null;
        }

        if (milliseconds <= 0)
        {
            error = $"'{text}' is not a positive duration";
            return null;
        }

        return TimeSpan.FromMilliseconds((double)milliseconds);
    }

    /// <summary>About 3,000 years: well inside a <see cref="TimeSpan"/>, far beyond any limit a caller sets.</summary>
    private const decimal MaxMilliseconds = 100_000_000_000_000m;

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

    [GeneratedRegex(@"^((?<h>[0-9]+)h)?((?<m>[0-9]+)m(?!s))?((?<s>[0-9]+)s)?((?<ms>[0-9]+)ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    // A CPU quantity's shape with any number of digits, to tell "too many digits" from "not a number".
    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?|\.[0-9]+)m?$", RegexOptions.CultureInvariant)]
    private static partial Regex LongCpuQuantity();

    [GeneratedRegex(@"^([0-9]+(h|ms|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitsOnly();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+(h|ms|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex FractionalDuration();
}
