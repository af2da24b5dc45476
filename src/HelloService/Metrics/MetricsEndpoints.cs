using HelloService.Hosting;
using HelloService.Pod;

using Prometheus;

namespace HelloService.Metrics;

internal static class MetricsEndpoints
{
    /// <summary>The <c>method</c> label of requests whose method is none of the standard nine.</summary>
    public const string OtherMethod = "other";

    /// <summary>The status recorded for a request whose client went away before the answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>
    /// HTTP request metrics, labelled by method, status code and endpoint (the route pattern,
    /// never the raw path). Every label value comes from a fixed set whatever clients send:
    /// Kestrel accepts any token as a method, so methods outside the standard nine are
    /// relabelled <see cref="OtherMethod"/> before the metrics see them, and a request whose
    /// client left is recorded as <see cref="ClientClosedRequest"/>, not as the 200 nobody received.
    /// </summary>
    public static IApplicationBuilder UseHelloMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<HelloMetrics>();
        app.Use(BoundMethodLabel);
        app.UseHttpMetrics(options => options.SetMetricFactory(metrics.Factory));
        return app.Use(RecordClientAbort);
    }

    public static IEndpointRouteBuilder MapHelloMetrics(this IEndpointRouteBuilder app)
    {
        var metrics = app.ServiceProvider.GetRequiredService<HelloMetrics>();
        PodMetrics.Register(metrics, app.ServiceProvider.GetRequiredService<PodUsage>());
        app.MapMetrics("/metrics", metrics.Registry).WithDisplayName("Prometheus metrics").OnManagementPort();
        return app;
    }

    /// <summary>
    /// prometheus-net labels <c>context.Request.Method</c> as it is, so a method other than the
    /// nine standard ones, spelled as RFC 9110 defines them, is renamed here. Methods are
    /// case-sensitive: <c>gEt</c> is not GET. (<c>HttpMethods.IsGet</c> compares case-insensitively:
    /// with it every spelling of a standard method became a label of its own.) Routing has already
    /// run, so the request keeps its answer: routing matches methods case-insensitively.
    /// </summary>
    private static Task BoundMethodLabel(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Method is not ("GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "PATCH" or "OPTIONS" or "TRACE" or "CONNECT"))
        {
            context.Request.Method = OtherMethod;
        }

        return next(context);
    }

    /// <summary>Inside the metrics middleware: turns "the client left" into status 499 before it is counted.</summary>
    private static async Task RecordClientAbort(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Nobody is left to receive an error page.
        }

        if (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.StatusCode = ClientClosedRequest;
        }
    }
}
