using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

internal static class ListenerExtensions
{
    /// <summary>Serves the endpoint(s) only on the app port.</summary>
    public static TBuilder OnAppPort<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ListenerMetadata(Listener.App));

    /// <summary>Serves the endpoint(s) only on the management port.</summary>
    public static TBuilder OnManagementPort<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ListenerMetadata(Listener.Management));

    /// <summary>
    /// Answers 404 for an endpoint reached on the other port. Place after <c>UseRouting</c>.
    /// On the management port the problem details name the app port that serves the path (the
    /// app port is public anyway). On the app port the answer is the same 404 as for a path that
    /// does not exist: the management port may be private, and its paths and number stay unsaid.
    /// </summary>
    public static IApplicationBuilder UseListenerRouting(this IApplicationBuilder app)
    {
        var ports = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        return app.Use((context, next) =>
        {
            if (!ConnectionAllowance.MarkRequest(context))
            {
                // A connection from the probe reserve (shared port, cap reached) asked for more than a probe.
                context.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Too many connections",
                    detail: "The connection limit (Server__MaxAppConnections) is reached. Retry later.")
                    .ExecuteAsync(context);
            }

            var required = context.GetEndpoint()?.Metadata.GetMetadata<ListenerMetadata>();
            if (required is not null)
            {
                var port = required.Listener == Listener.App ? ports.AppPort : ports.ManagementPort;
                if (context.Connection.LocalPort != port)
                {
                    context.SetEndpoint(null);
                    return required.Listener == Listener.App
                        ? TypedResults.Problem(
                            statusCode: StatusCodes.Status404NotFound,
                            title: "Not on this port",
                            detail: $"{context.Request.Path} is served on the app port, {ports.AppPort} (Server__AppPort); this is the management port.")
                            .ExecuteAsync(context)
                        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
                }
            }

            return next(context);
        });
    }
}
