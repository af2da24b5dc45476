using System.Reflection;

namespace HelloService.Hosting;

/// <summary>
/// What the server does with its arguments before anything binds a port: <c>--help</c>, <c>-h</c>,
/// <c>help</c> and <c>--version</c> answer and exit 0; a setting (<c>--Section:Key=value</c>,
/// <c>Section:Key=value</c> or <c>--Section:Key value</c>, and the host's <c>--environment</c>, <c>--contentRoot</c>, <c>--applicationName</c>) passes on to configuration; anything
/// else exits 2 naming it. A mistyped word must never start a CPU-burning endpoint on every interface.
/// </summary>
internal static class CommandLine
{
    public const int BadUsage = 2;

    public const string Usage = """
        Usage: HelloService [--Section:Key=value ...]

        Runs the service: the app port (default 9000: /hello-world, /load, the demo page) and the
        management port (default 9001: probes, /info, /metrics, /openapi/v1.json). Settings come
        from appsettings.json, environment variables (Server__AppPort=9000) or arguments
        (--Server:AppPort=9000); README.md lists them.

          -h, --help, help   print this and exit
          --version          print the version and exit

        The load generator is its own program, hello-load (hello-load --help).
        """;

    /// <summary>The exit code when the arguments are answered here (help, version, a mistake); null to run the service.</summary>
    public static int? Answer(IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        switch (args)
        {
            case ["-h" or "--help" or "-?" or "help", ..]:
                output.WriteLine(Usage);
                return 0;
            case ["--version", ..]:
                output.WriteLine($"HelloService {Version}");
                return 0;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (IsSetting(argument))
            {
                continue;
            }

            if (IsKey(argument) && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
            {
                i++;
                continue;
            }

            error.WriteLine($"HelloService: unknown argument '{Printable(argument)}'; run 'HelloService --help' (the load generator is hello-load)");
            return BadUsage;
        }

        return null;
    }

    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary><c>--Section:Key=value</c>, <c>/Section:Key=value</c> or <c>Section:Key=value</c>.</summary>
    private static bool IsSetting(string argument) =>
        argument.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals && IsPath(argument[..equals].TrimStart('-', '/'));

    /// <summary><c>--Section:Key</c>, followed by its value.</summary>
    private static bool IsKey(string argument) => argument.StartsWith("--", StringComparison.Ordinal) && IsPath(argument[2..]);

    private static bool IsPath(string key) =>
        (key.Contains(':', StringComparison.Ordinal) || HostSettings.Contains(key, StringComparer.OrdinalIgnoreCase))
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_');

    /// <summary>The host's own one-word settings (ASP.NET Core's test host passes them as arguments).</summary>
    private static readonly string[] HostSettings = ["environment", "contentRoot", "applicationName"];

    private static string Printable(string text) =>
        new([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
}
