namespace HelloService.Tests;

/// <summary>
/// Measured figures from tests that exercise the real process (flood, shutdown, soak): appended
/// to <c>figures.log</c> beside the test assembly, which CI prints, and to the test's output.
/// The tests only bound these generously; the figures are for people to read.
/// </summary>
internal static class Figures
{
    private static readonly Lock Gate = new();

    public static string LogPath => Path.Combine(AppContext.BaseDirectory, "figures.log");

    public static void Report(string line)
    {
        var stamped = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {TestContext.Current.Test?.TestDisplayName}: {line}";
        TestContext.Current.TestOutputHelper?.WriteLine(stamped);
        lock (Gate)
        {
            File.AppendAllText(LogPath, stamped + Environment.NewLine);
        }
    }
}
