using System.Net;

using HelloService.Hosting;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HelloService.Tests.Management;

public class OpenApiDocumentTests(AppFixture<OpenApiDocumentTests> fixture) : IClassFixture<AppFixture<OpenApiDocumentTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Fact]
    public async Task EveryEndpointOfEitherPortIsInTheDocumentWithItsPort()
    {
        using var client = _app.Management();
        var document = await (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");

        var endpoints = _app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ListenerMetadata>() is not null)
            .ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/hello-world");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/healthz/ready");
        foreach (var endpoint in endpoints)
        {
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/'); // the group's "/load/" is the document's "/load"
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            var port = endpoint.Metadata.GetMetadata<ListenerMetadata>()!.Listener == Listener.App ? "app port" : "management port";
            var operation = item.EnumerateObject().First().Value;
            Assert.Contains(port, operation.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Method by method: the document lists what the app maps (HEAD aside, answered wherever GET
    /// is), and nothing it does not; endpoints excluded from the description (GET /load/cpu's 405)
    /// stay out.
    /// </summary>
    [Fact]
    public async Task EveryMethodAndPathPairTheAppMapsIsInTheDocumentAndNoOther()
    {
        using var client = _app.Management();
        var document = await (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order();

        var endpoints = _app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (
                Path: "/" + e.RoutePattern.RawText!.Trim('/'),
                Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get],
                Excluded: e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }))
            .ToList();
        var described = endpoints.Where(e => !e.Excluded).Select(e => e.Path).ToHashSet();

        // What the generator leaves out (the document itself) is listed as GET, unless its path is described otherwise (GET /load/cpu's 405).
        var mapped = endpoints.Where(e => !e.Excluded).SelectMany(e => e.Methods.Where(m => m != HttpMethods.Head).Select(m => $"{m} {e.Path}"))
            .Concat(endpoints.Where(e => e.Excluded && !described.Contains(e.Path)).Select(e => $"GET {e.Path}"))
            .Distinct()
            .Order();
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public async Task DescriptionsNameTheConfiguredPortsNotTheDefaults()
    {
        using var client = _app.Management();
        var text = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.DoesNotContain("9000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("9001", text, StringComparison.Ordinal);
        Assert.Contains(_app.AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains(_app.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPathAppearsTwiceWithAndWithoutATrailingSlash()
    {
        using var client = _app.Management();
        var document = await (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/load", paths);
        Assert.Equal(paths.Count, paths.Select(p => p.Length > 1 ? p.TrimEnd('/') : p).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task HelloWorldQueryParametersAreDescribed()
    {
        using var client = _app.Management();
        var document = await (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        var parameters = document.GetProperty("paths").GetProperty("/hello-world").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order();
        Assert.Equal(HelloService.HelloWorld.HelloWorldQuery.Parameters.Order(), parameters);
    }

    [Theory]
    [InlineData("/load/cpu", "post", "millicores seconds")]
    [InlineData("/load/memory", "post", "mebibytes seconds")]
    public async Task LoadJobQueryParametersAreRequiredInTheDocument(string path, string method, string names)
    {
        using var client = _app.Management();
        var document = await (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        var query = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters")
            .EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").ToList();
        var required = query.Where(p => p.TryGetProperty("required", out var r) && r.GetBoolean()).Select(p => p.GetProperty("name").GetString());
        Assert.Equal(names.Split(' '), required);
    }

    /// <summary>A PATCH takes millicores for a CPU job and mebibytes for a memory job: neither is required of every job.</summary>
    [Fact]
    public async Task PatchNamesBothTargetsForTheTwoKindsOfJob()
    {
        using var client = _app.Management();
        var document = await (await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        var query = document.GetProperty("paths").GetProperty("/load/{id}").GetProperty("patch").GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(["millicores", "mebibytes"], query.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task DocumentIsNotServedOnTheAppPort()
    {
        using var client = _app.App();
        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
