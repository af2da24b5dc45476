using System.Globalization;
using System.Net;

using HelloService.Hosting;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HelloService.Tests.Hosting;

/// <summary>Every endpoint the app maps names its port, and answers 404 on the other one.</summary>
public class PortMetadataTests(AppFixture<PortMetadataTests> fixture) : IClassFixture<AppFixture<PortMetadataTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Fact]
    public void EveryEndpointHasPortMetadata()
    {
        var endpoints = Endpoints();

        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} endpoints");
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetMetadata<ListenerMetadata>() is not null, $"{e.DisplayName} ({e.RoutePattern.RawText}) names no port"));
    }

    [Fact]
    public async Task EveryEndpointAnswers404OnTheOtherPort()
    {
        var wrong = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            var port = endpoint.Metadata.GetMetadata<ListenerMetadata>()?.Listener;
            using var client = port == Listener.App ? _app.Management() : _app.App();
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/').Replace("{id}", "1", StringComparison.Ordinal);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    wrong.Add(string.Create(CultureInfo.InvariantCulture, $"{method} {path} on the {(port == Listener.App ? "management" : "app")} port: {(int)response.StatusCode}"));
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private List<RouteEndpoint> Endpoints() => [.. _app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];
}
