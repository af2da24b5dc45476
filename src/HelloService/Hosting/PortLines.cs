using System.Net;

using HelloService.OpenApi;

using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// Once both ports are bound, one line per port saying which it is, what it serves, and where the
/// demo page is (Kestrel's own lines say "Now listening on" without telling the two apart). Not
/// before: a start that fails must print its one line only.
/// </summary>
internal sealed partial class PortLines(IOptions<ServerOptions> options, ILogger<PortLines> logger) : IHostedLifecycleService
{
    private const string AppPaths = "/hello-world, /load";
    private const string ManagementPaths = "/healthz/live, /healthz/ready, /info, /metrics, " + OpenApiEndpoints.DocumentPath;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var server = options.Value;
        var page = $"demo page {Url(BrowserHost(server.BindAddress), server.AppPort)}/";
        if (server.AppPort == server.ManagementPort)
        {
            LogPort(logger, "app and management port", Url(ListenHost(server.BindAddress), server.AppPort), $"{AppPaths}, {page}, {ManagementPaths}");
        }
        else
        {
            LogPort(logger, "app port", Url(ListenHost(server.BindAddress), server.AppPort), $"{AppPaths}, {page}");
            LogPort(logger, "management port", Url(ListenHost(server.BindAddress), server.ManagementPort), ManagementPaths);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Url(string host, int port) => $"http://{host}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The address listened on; <c>*</c> (every interface, IPv4 and IPv6) shown as 0.0.0.0.</summary>
    private static string ListenHost(string bindAddress) => bindAddress == "*" ? "0.0.0.0" : Bracketed(bindAddress);

    /// <summary>An address a browser on this machine can open: localhost for every-interface binds.</summary>
    private static string BrowserHost(string bindAddress) =>
        bindAddress == "*" || (IPAddress.TryParse(bindAddress, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
            ? "localhost"
            : Bracketed(bindAddress);

    private static string Bracketed(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Port}: {Url} ({Serves})")]
    private static partial void LogPort(ILogger logger, string port, string url, string serves);
}
