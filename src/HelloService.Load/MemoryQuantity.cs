using System.Globalization;
using System.Text.RegularExpressions;

namespace HelloService.Load;

/// <summary>
/// Memory quantities as Kubernetes writes them (<c>512Mi</c>, <c>1.5Gi</c>, <c>300M</c>,
/// <c>64000k</c>), read into whole MiB, rounded up: a memory job holds whole MiB.
/// </summary>
internal static partial class MemoryQuantity
{
    /// <summary>1 TiB: far beyond any pod's limit, small enough for an int of MiB; the service has its own cap.</summary>
    public const int MaxMebibytes = 1024 * 1024;

    private const decimal MiB = 1024m * 1024m;

    /// <summary>
    /// Parses <paramref name="text"/> into MiB, or returns null and a message that names
    /// <paramref name="option"/> and says what to write instead.
    /// </summary>
    public static int? ParseMebibytes(string option, string text, out string? error)
    {
        var trimmed = text.Trim();
        var match = Pattern().Match(trimmed);
        error = null;
        if (!match.Success)
        {
            error = MilliBytes().IsMatch(trimmed)
                ? $"{option}: '{trimmed}' is millibytes (m is milli in a Kubernetes quantity): did you mean {trimmed[..^1]}Mi?"
                : $"{option}: '{text}' is not a memory quantity: write it like 512Mi, 1.5Gi or 300M (units Ki, Mi, Gi, k, M, G)";
            return null;
        }

        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value;
        var bytes = number * unit switch
        {
            "Ki" => 1024m,
            "Mi" => MiB,
            "Gi" => 1024m * MiB,
            "k" => 1_000m,
            "M" => 1_000_000m,
            "G" => 1_000_000_000m,
            _ => 1m,
        };
        if (bytes < MiB)
        {
            error = unit.Length == 0 && number >= 1
                ? $"{option}: '{trimmed}' is {trimmed} bytes (a number without a unit counts bytes, as in Kubernetes): did you mean {trimmed}Mi?"
                : $"{option}: '{trimmed}' is less than 1 MiB, the least a memory job holds: write at least 1Mi";
            return null;
        }

        var mebibytes = Math.Ceiling(bytes / MiB);
        if (mebibytes > MaxMebibytes)
        {
            error = $"{option}: '{trimmed}' is more than 1Ti";
            return null;
        }

        return (int)mebibytes;
    }

    /// <summary>Writes MiB the way a Kubernetes manifest would: <c>512Mi</c>.</summary>
    public static string Format(int mebibytes) => string.Create(CultureInfo.InvariantCulture, $"{mebibytes}Mi");

    [GeneratedRegex(@"^(?<number>[0-9]{1,12}(\.[0-9]{1,9})?|\.[0-9]{1,9})(?<unit>Ki|Mi|Gi|k|M|G)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[0-9]{1,12}(\.[0-9]{1,9})?m$", RegexOptions.CultureInvariant)]
    private static partial Regex MilliBytes();
}
