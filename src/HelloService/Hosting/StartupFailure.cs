using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

internal static class StartupFailure
{
    /// <summary>
    /// Runs the app; a bad setting or a port in use ends the process with exit code 1 and one
    /// readable message naming the key, instead of an unhandled-exception abort.
    /// </summary>
    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
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
