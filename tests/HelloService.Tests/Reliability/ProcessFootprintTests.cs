using System.Net;

using HelloService.Tests.LoadJobs;

namespace HelloService.Tests.Reliability;

/// <summary>What the running process maps besides itself: each shared library costs resident memory in every pod.</summary>
[Trait("Category", "Slow")]
public class ProcessFootprintTests
{
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
        Assert.Equal(HttpStatusCode.OK, await Http.StatusOfAsync(management, HelloService.OpenApi.OpenApiEndpoints.DocumentPath));

        var libraries = File.ReadLines($"/proc/{service.Id}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6)
            .Select(fields => Path.GetFileName(fields[5]))
            .Distinct()
            .ToList();
        Assert.DoesNotContain(libraries, name => name.StartsWith("libcrypto", StringComparison.Ordinal) || name.StartsWith("libssl", StringComparison.Ordinal));
        Assert.Contains(libraries, name => name.StartsWith("libc.so", StringComparison.Ordinal)); // the maps were read
    }
}
