using System.Net.Sockets;
using System.Text.RegularExpressions;

using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

internal static partial class StartupFailure
{
    /// <summary>
    /// Builds the app, lets <paramref name="configure"/> set up its pipeline and endpoints, and
    /// runs it. Anything that stops it from starting (a bad setting found while building, mapping
    /// or at start; a port in use; an address it cannot bind) ends the process with exit code 1
    /// and one line on standard error, instead of a stack trace or an unhandled-exception abort.
    /// </summary>
    public static int BuildAndRun(this WebApplicationBuilder builder, Action<WebApplication> configure)
    {
        // The host logs a start failure with its stack trace ("Hosting failed to start") before
        // rethrowing it; the one line below says the same. Its other messages are debug-level,
        // and a failure while stopping is rethrown too, so nothing is lost.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        WebApplication app;
        try
        {
            app = builder.Build();
            configure(app);
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"HelloService cannot start: {Describe(e, builder.Configuration)}");
            return 1;
        }

        try
        {
            app.WaitForShutdownAsync().GetAwaiter().GetResult();
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"HelloService failed while stopping: {Describe(e, builder.Configuration)}");
            return 1;
        }
        finally
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>One line: what went wrong and, where it is known, which setting to change.</summary>
    internal static string Describe(Exception e, IConfiguration configuration) => e switch
    {
        OptionsValidationException v when v.Failures.Count() == 1 => v.Failures.Single(),
        OptionsValidationException v => $"{v.Failures.Count()} invalid settings: {string.Join(" ", v.Failures)}",
        AggregateException a => string.Join(" ", a.InnerExceptions.Select(inner => Describe(inner, configuration))),
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } io =>
            $"{io.Message} Another process holds the port; choose others with Server__AppPort and Server__ManagementPort.",
        InvalidOperationException when ConversionFailure(e.Message) is { } setting => setting,
        SocketException s => BindFailure(s, configuration),
        _ when e.InnerException is SocketException s => BindFailure(s, configuration),
        _ when e.InnerException is { } inner => OneLine($"{e.Message} ({inner.Message})"),
        _ => OneLine(e.Message),
    };

    private static string BindFailure(SocketException e, IConfiguration configuration)
    {
        var server = new ServerOptions();
        configuration.GetSection(ServerOptions.SectionName).Bind(server);
        var hint = e.SocketErrorCode switch
        {
            SocketError.AddressNotAvailable => "the address is not one of this machine's (Server__BindAddress)",
            SocketError.AccessDenied => "ports below 1024 need root or CAP_NET_BIND_SERVICE (Server__AppPort, Server__ManagementPort)",
            _ => "check Server__BindAddress, Server__AppPort and Server__ManagementPort",
        };
        return $"cannot listen on {server.BindAddress} ports {server.AppPort} and {server.ManagementPort}: {e.Message}; {hint}.";
    }

    /// <summary>
    /// The binder's "Failed to convert configuration value 'abc' at 'HelloWorld:Count' to type
    /// 'System.Int32'" in every other setting error's wording, naming the environment variable.
    /// </summary>
    private static string? ConversionFailure(string message)
    {
        var match = ConversionMessage().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var path = match.Groups["path"].Value;
        var colon = path.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var must = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "must be a whole number",
            "System.Boolean" => "must be true or false",
            "System.Double" => "must be a number",
            var type => $"must be a {type}",
        };
        var value = match.Groups["value"].Value;
        var shown = value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "...");
        return SettingErrors.Describe(path[..colon], path[(colon + 1)..], $"{must} (is '{shown}')");
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionMessage();

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
