using System.Net;

using BenchmarkDotNet.Attributes;

using HelloService.Testing;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelloService.Benchmarks;

/// <summary>
/// A trivial request over real loopback HTTP: <c>/hello-world?count=0</c> through the service's
/// whole pipeline against a bare minimal-API endpoint on Kestrel. Both servers live in this
/// process and are called by the same keep-alive HttpClient, so the difference is the service's
/// own overhead (routing by port, metrics, query parsing, JSON).
/// </summary>
[MemoryDiagnoser]
public class RequestOverheadBenchmarks
{
    private ServiceOnKestrel _service = null!;
    private WebApplication _bare = null!;
    private HttpClient _serviceClient = null!;
    private HttpClient _bareClient = null!;
    private HttpClient _managementClient = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _service = new ServiceOnKestrel();
        _service.StartServer();
        _serviceClient = Client(_service.AppPort);
        _managementClient = Client(_service.ManagementPort);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _bare = builder.Build();
        _bare.MapGet("/", () => "ok");
        await _bare.StartAsync();
        var address = _bare.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        _bareClient = Client(new Uri(address).Port);

        // Fail the set-up, not the measurement, if either endpoint is wrong.
        (await _serviceClient.GetAsync(new Uri("/hello-world?count=0", UriKind.Relative))).EnsureSuccessStatusCode();
        (await _bareClient.GetAsync(new Uri("/", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _serviceClient.Dispose();
        _bareClient.Dispose();
        _managementClient.Dispose();
        await _bare.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare Kestrel GET /")]
    public Task<string> Bare() => _bareClient.GetStringAsync(new Uri("/", UriKind.Relative));

    [Benchmark(Description = "service GET /hello-world?count=0")]
    public Task<string> Service() => _serviceClient.GetStringAsync(new Uri("/hello-world?count=0", UriKind.Relative));

    /// <summary>The service's cheapest endpoint: separates the pipeline's cost from /hello-world's own.</summary>
    [Benchmark(Description = "service GET /healthz/live")]
    public Task<string> ServiceProbe() => _managementClient.GetStringAsync(new Uri("/healthz/live", UriKind.Relative));

    private static HttpClient Client(int port) => new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    };

    /// <summary>The real service on Kestrel, two free loopback ports, logging at Warning.</summary>
    private sealed class ServiceOnKestrel : WebApplicationFactory<global::Program>
    {
        public ServiceOnKestrel()
        {
            AppPort = ServiceProcess.FreePort();
            ManagementPort = ServiceProcess.FreePort();
            UseKestrel();
        }

        public int AppPort { get; }

        public int ManagementPort { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Server:BindAddress"] = "127.0.0.1",
                ["Server:AppPort"] = AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Server:ManagementPort"] = ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Server:DrainSeconds"] = "0",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
    }
}
