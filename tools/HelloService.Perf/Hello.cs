using System.Net;
using System.Text.Json;

namespace HelloService.Perf;

/// <summary>What one /hello-world answer reports about its burn.</summary>
internal sealed record Burn(double ElapsedMs, double? CpuMs, long Calls);

internal static class Hello
{
    public static HttpClient Client(Uri baseAddress, int connections = 1) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };

    /// <summary>GET /hello-world?<paramref name="query"/>; fails unless the answer is 200.</summary>
    public static async Task<Burn> GetAsync(HttpClient client, string query, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(new Uri("/hello-world" + (query.Length > 0 ? "?" + query : ""), UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"/hello-world?{query} answered {(int)response.StatusCode}: {body}");
        }

        var ackermann = JsonDocument.Parse(body).RootElement.GetProperty("ackermann");
        var cpu = ackermann.GetProperty("cpuMs");
        return new Burn(
            ackermann.GetProperty("elapsedMs").GetDouble(),
            cpu.ValueKind == JsonValueKind.Number ? cpu.GetDouble() : null,
            ackermann.GetProperty("calls").GetInt64());
    }

    /// <summary>The value of one unlabelled series in the service's /metrics.</summary>
    public static async Task<double?> MetricAsync(HttpClient management, string series)
    {
        var text = await management.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
