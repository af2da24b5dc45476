using System.Net;

using HelloService.OpenApi;

using Microsoft.AspNetCore.Routing;

namespace HelloService.Tests.Management;

/// <summary>
/// The document from the real process, which CI also runs as the Native AOT binary: there the
/// schemas come only from source-generated JSON metadata, and a type without it made the document
/// a 500 while the in-process (JIT) tests passed.
/// </summary>
[Trait("Category", "Slow")]
public class OpenApiProcessTests
{
    [Fact]
    public async Task TheRunningServiceDocumentsEveryEndpoint()
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

    /// <summary>"/load", "load/" and "/load/" are one path here.</summary>
    private static string Normalized(string path) => "/" + path.Trim('/');
}
