using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HelloService.Tests;

/// <summary>
/// The real service on real Kestrel sockets, bound to 127.0.0.1 on two free ports: the two-port
/// split is by the port a connection arrives on, which the in-memory test server cannot show.
/// Tests keep the work small through configuration (m &lt;= 8 unless saturation is the point).
/// </summary>
public sealed class HelloServiceApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public HelloServiceApp(IDictionary<string, string?>? settings = null)
    {
        AppPort = ServiceProcess.FreePort();
        ManagementPort = ServiceProcess.FreePort();
        _settings = new Dictionary<string, string?>
        {
            ["Server:BindAddress"] = "127.0.0.1",
            ["Server:AppPort"] = AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Server:ManagementPort"] = ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Server:DrainSeconds"] = "0",
            ["HelloWorld:M"] = "6",
            ["HelloWorld:Count"] = "4",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel();
    }

    public int AppPort { get; }

    public int ManagementPort { get; }

    /// <summary>A client for the public port (9000 in production).</summary>
    public HttpClient App() => Client(AppPort);

    /// <summary>A client for the management port (9001 in production).</summary>
    public HttpClient Management() => Client(ManagementPort);

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Starts the host (idempotent) and returns this, for fluent set-up.</summary>
    public HelloServiceApp Started()
    {
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));

    private static HttpClient Client(int port) => new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(60),
    };
}

/// <summary>A test class that shares one app among its tests names the app's settings here.</summary>
public interface IAppSettings
{
    /// <summary>Settings in configuration form (<c>HelloWorld:Count</c>) over the test defaults; null for none.</summary>
    static abstract IDictionary<string, string?>? AppSettings { get; }
}

/// <summary>One started app for all the tests of <typeparamref name="TTests"/>, with its <see cref="IAppSettings.AppSettings"/>.</summary>
public sealed class AppFixture<TTests> : IDisposable
    where TTests : IAppSettings
{
    public HelloServiceApp App { get; } = Start();

    public void Dispose() => App.Dispose();

    private static HelloServiceApp Start()
    {
        var app = new HelloServiceApp(TTests.AppSettings);
        try
        {
            return app.Started();
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }
}
