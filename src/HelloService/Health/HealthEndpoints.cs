using HelloService.Hosting;

using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HelloService.Health;

internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<AcceptingTrafficCheck>("accepting-traffic", tags: [ReadyTag]);

        // The only check fails only while shutting down, and every probe then would log an error;
        // the shutdown sequence logs "not ready" once instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);
        return builder;
    }

    /// <summary>
    /// Liveness runs no check (200 while the process serves at all); readiness fails from the
    /// moment shutdown begins, so load balancers stop routing here before the pod goes.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false })
            .WithDisplayName("Liveness")
            .OnManagementPort();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .WithDisplayName("Readiness")
            .OnManagementPort();
        return app;
    }
}
