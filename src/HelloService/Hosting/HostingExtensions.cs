using System.Net;

using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

internal static class HostingExtensions
{
    /// <summary>Connections beyond the cap kept for health probes when the app and management ports are one.</summary>
    public const int ProbeReserve = 16;

    private static readonly string[] KnownFormatters = [ConsoleFormatterNames.Simple, ConsoleFormatterNames.Json, ConsoleFormatterNames.Systemd];

    /// <summary>Two ports, Kestrel limits, and the graceful shutdown sequence.</summary>
    public static WebApplicationBuilder AddHelloHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration.GetSection(ServerOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) =>
            ConfigureKestrel(kestrel, server.Value));
        services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownTimeoutSeconds));

        services.AddSingleton<ShutdownSignal>();
        services.AddHostedService<ShutdownDrain>();
        services.AddHostedService<StopSignals>();
        services.AddHostedService<PortLines>();

        // The slim builder fixes the console formatter to "simple" in code, which wins over
        // configuration; re-apply Logging:Console:FormatterName (json for containers, systemd).
        // An unknown name would make the console logger fall back to "simple" without a word.
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
        {
            services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = formatter);
            services.AddOptions<ConsoleLoggerOptions>()
                .Validate(
                    options => KnownFormatters.Contains(options.FormatterName, StringComparer.OrdinalIgnoreCase),
                    SettingErrors.Describe("Logging", "Console:FormatterName", $"must be simple, json or systemd (is '{formatter}')"))
                .ValidateOnStart();
        }

        services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        return builder;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ServerOptions server)
    {
        kestrel.AddServerHeader = false;

        // Every endpoint is a GET without a body; anything bigger is refused before it is read.
        kestrel.Limits.MaxRequestBodySize = 1024;
        kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        kestrel.Limits.MaxRequestHeaderCount = 64;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(75);

        // With one shared port, probes would compete with clients for the cap: keep a few
        // one-request connections for them.
        var probeReserve = server.ManagementPort == server.AppPort ? ProbeReserve : 0;
        var appConnections = new ConnectionAllowance(server.MaxAppConnections, TimeSpan.FromSeconds(server.SilentConnectionSeconds), probeReserve);
        Listen(kestrel, server, server.AppPort, listen => listen.Use(appConnections.Middleware));
        if (server.ManagementPort != server.AppPort)
        {
            Listen(kestrel, server, server.ManagementPort, _ => { });
        }
    }

    private static void Listen(KestrelServerOptions kestrel, ServerOptions server, int port, Action<ListenOptions> configure)
    {
        if (server.BindAddress == "*")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(server.BindAddress), port, configure);
        }
    }
}
