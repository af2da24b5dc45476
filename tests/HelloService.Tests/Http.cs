using System.Net;
using System.Text.Json;

namespace HelloService.Tests;

/// <summary>Small helpers for reading the service's answers.</summary>
internal static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The status of a GET of <paramref name="path"/>.</summary>
    public static async Task<HttpStatusCode> StatusOfAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Asserts an RFC 7807 answer and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.JsonAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>The value of one sample line of Prometheus text, e.g. <c>name{label="x"}</c>.</summary>
    public static double Sample(string metricsText, string series) =>
        PrometheusText.TryGet(metricsText, series) ?? throw new Xunit.Sdk.XunitException($"series {series} not found in /metrics");

    public static async Task<double> MetricAsync(this HelloServiceApp app, string series)
    {
        using var client = app.Management();
        return Sample(await client.GetStringAsync("/metrics"), series);
    }
}
