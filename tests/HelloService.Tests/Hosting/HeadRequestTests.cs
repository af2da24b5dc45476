using System.Net;

using HelloService.HelloWorld;

namespace HelloService.Tests.Hosting;

/// <summary>HEAD is answered wherever GET is, and HEAD /hello-world burns nothing (issue 24, item 11).</summary>
public class HeadRequestTests(AppFixture<HeadRequestTests> fixture) : IClassFixture<AppFixture<HeadRequestTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Theory]
    [InlineData("/")]
    [InlineData("/demo.js")]
    [InlineData("/status")]
    [InlineData("/load")]
    [InlineData("/hello-world")]
    public async Task HeadOnAnAppPortGetEndpointIs200WithoutABody(string path)
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Head, path);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HeadOnHelloWorldBurnsNothing()
    {
        var greetings = _app.Get<GreetingCounter>();
        var before = greetings.Last;
        var started = await _app.MetricAsync("helloservice_ackermann_computations_started_total");
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Head, "/hello-world?count=1000&m=8");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, greetings.Last);
        Assert.Equal(started, await _app.MetricAsync("helloservice_ackermann_computations_started_total"));
    }
}
