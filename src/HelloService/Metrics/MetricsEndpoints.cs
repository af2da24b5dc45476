using HelloService.Hosting;

using Prometheus;

namespace HelloService.Metrics;

internal static class MetricsEndpoints
{
    /// <summary>
    /// HTTP request metrics, labelled by method, status code and endpoint (the route pattern,
    /// never the raw path), so their cardinality stays fixed whatever clients send.
    /// </summary>
    public static IApplicationBuilder UseHelloMetrics(this IApplicationBuilder app)
    {
        _ = HelloMetrics.IsConfigured;
        return app.UseHttpMetrics();
    }

    public static IEndpointRouteBuilder MapHelloMetrics(this IEndpointRouteBuilder app)
    {
        app.MapMetrics("/metrics").WithDisplayName("Prometheus metrics").OnManagementPort();
        return app;
    }
}
