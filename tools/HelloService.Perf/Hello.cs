using System.Net;
using System.Text.Json;

using HelloService.Testing;

namespace HelloService.Perf;

internal static class Hello
{
    public static HttpClient Client(Uri baseAddress, int connections = 1) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };

    /// <summary>GET /hello-world?<paramref name="query"/>; fails unless the answer is 200 with a computed value.</summary>
    public static async Task GetAsync(HttpClient client, string query, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(new Uri("/hello-world" + (query.Length > 0 ? "?" + query : ""), UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"/hello-world?{query} answered {(int)response.StatusCode}: {body}");
        }

        // The burn must really have run: the answer carries A(n, m).
        _ = JsonDocument.Parse(body).RootElement.GetProperty("ackermann").GetProperty("value").GetInt64();
    }

    /// <summary>The value of one unlabelled series in the service's /metrics.</summary>
    public static async Task<double?> MetricAsync(HttpClient management, string series) =>
        PrometheusText.TryGet(await management.GetStringAsync(new Uri("/metrics", UriKind.Relative)), series);
}
