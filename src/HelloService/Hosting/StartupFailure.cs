using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

internal static class StartupFailure
{
    /// <summary>
    /// Builds the app, lets <paramref name="configure"/> set up its pipeline and endpoints, and
    /// runs it. A bad setting or a port in use, whether found while building (the host reads its
    /// shutdown timeout), while mapping, or at start, ends the process with exit code 1 and one
    /// readable message naming the key, instead of an unhandled-exception abort.
    /// </summary>
    public static int BuildAndRun(this WebApplicationBuilder builder, Action<WebApplication> configure)
    {
        try
        {
            var app = builder.Build();
            configure(app);
            app.Run();
            return 0;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"HelloService cannot start: {Describe(e)}");
            return 1;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OptionsValidationException v => string.Join(Environment.NewLine + "  ", v.Failures.Prepend("invalid configuration:")),
        _ when e.InnerException is { } inner => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };
}
