using System.Net;

using HelloService.OpenApi;
using HelloService.Tests.LoadJobs;

using Microsoft.AspNetCore.Routing;

namespace HelloService.Tests.Reliability;

/// <summary>
/// The service as a real process, which CI also runs as the Native AOT binary: what the in-process
/// (JIT) tests cannot see, because the shipped binary has no reflection to fall back on and maps
/// every library it touches into each pod's memory.
/// </summary>
[Trait("Category", "Slow")]
public class ShippedBinaryTests
{
    /// <summary>
    /// Native AOT builds schemas from source-generated JSON metadata only: a type without it made
    /// the document a 500 there while the in-process tests passed.
    /// </summary>
    [Fact]
    public async Task TheDocumentListsEveryEndpoint()
    {
        using var service = await ServiceProcess.StartReadyAsync();
        using var management = service.Management();
        using var response = await management.GetAsync(OpenApiEndpoints.DocumentPath, TestContext.Current.CancellationToken);
        var document = await response.JsonAsync(HttpStatusCode.OK);

        using var app = new HelloServiceApp().Started();
        var expected = app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => Normalized(e.RoutePattern.RawText!))
            .Distinct()
            .Order();
        var documented = document.GetProperty("paths").EnumerateObject().Select(p => Normalized(p.Name)).Distinct().Order();
        Assert.Equal(expected, documented);
    }

    /// <summary>
    /// OpenSSL (libcrypto, libssl) added 3.7 MiB to the idle RSS when a load-job tag and the demo
    /// page's ETag were made with .NET's cryptography; nothing the service does without an API key
    /// needs it.
    /// </summary>
    [Fact]
    public async Task ServingEveryFeatureWithoutAnApiKeyNeverLoadsOpenSsl()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc/PID/maps");
        using var service = await ServiceProcess.StartReadyAsync();
        using var client = service.App();
        using var management = service.Management();

        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(client, "/"));
        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(client, "/hello-world?m=5&count=2"));
        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(client, "/hello-world?cpuMs=20"));
        await client.StartJobAsync(100, 1);
        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(client, "/load"));
        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(management, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(management, OpenApiEndpoints.DocumentPath));

        var libraries = File.ReadLines($"/proc/{service.Id}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6)
            .Select(fields => Path.GetFileName(fields[5]))
            .Distinct()
            .ToList();
        Assert.DoesNotContain(libraries, name => name.StartsWith("libcrypto", StringComparison.Ordinal) || name.StartsWith("libssl", StringComparison.Ordinal));
        Assert.Contains(libraries, name => name.StartsWith("libc.so", StringComparison.Ordinal)); // the maps were read
    }

    /// <summary>"/load", "load/" and "/load/" are one path here.</summary>
    private static string Normalized(string path) => "/" + path.Trim('/');
}
