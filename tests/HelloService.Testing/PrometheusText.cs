using System.Globalization;

namespace HelloService.Testing;

/// <summary>Reads samples from the Prometheus text exposition format that /metrics serves.</summary>
public static class PrometheusText
{
    /// <summary>
    /// The value of one sample line, e.g. <c>name</c> or <c>name{label="x"}</c> exactly as the
    /// exporter writes it; null when the series is absent.
    /// </summary>
    public static double? TryGet(string metricsText, string series)
    {
        ArgumentNullException.ThrowIfNull(metricsText);
        foreach (var line in metricsText.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].TrimEnd('\r'), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>The value of one sample line; throws when the series is absent.</summary>
    public static double Get(string metricsText, string series) =>
        TryGet(metricsText, series) ?? throw new KeyNotFoundException($"series {series} not found in /metrics");
}
