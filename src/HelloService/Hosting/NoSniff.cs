namespace HelloService.Hosting;

internal static class NoSniff
{
    /// <summary>
    /// <c>X-Content-Type-Options: nosniff</c> on every answer of either port, so that no browser
    /// reads a JSON answer (which echoes input) as HTML or script. Set as the answer starts, so
    /// that an error page, whose handler clears the headers first, carries it too.
    /// </summary>
    public static IApplicationBuilder UseNoSniff(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
