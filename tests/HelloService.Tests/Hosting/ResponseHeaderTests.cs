using System.Net;

namespace HelloService.Tests.Hosting;

/// <summary>Every answer says nosniff, and JSON escapes what would be markup (issue 24, item 13).</summary>
public class ResponseHeaderTests(AppFixture<ResponseHeaderTests> fixture) : IClassFixture<AppFixture<ResponseHeaderTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Theory]
    [InlineData(true, "/hello-world?count=0")]
    [InlineData(true, "/hello-world?count=oops")]
    [InlineData(true, "/load")]
    [InlineData(true, "/no-such-path")]
    [InlineData(false, "/healthz/live")]
    [InlineData(false, "/info")]
    [InlineData(false, "/metrics")]
    [InlineData(false, "/openapi/v1.json")]
    [InlineData(false, "/hello-world")]
    public async Task EveryAnswerCarriesNosniff(bool appPort, string path)
    {
        using var client = appPort ? _app.App() : _app.Management();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task EchoedInputIsEscapedInJson()
    {
        using var client = _app.App();

        var greeting = await client.GetStringAsync("/hello-world?count=0&name=" + Uri.EscapeDataString("<b>&"), TestContext.Current.CancellationToken);
        using var invalid = await client.GetAsync("/hello-world?count=" + Uri.EscapeDataString("<i>"), TestContext.Current.CancellationToken);
        var problem = await invalid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Hello, \\u003Cb\\u003E\\u0026!", greeting, StringComparison.Ordinal);
        Assert.DoesNotContain("<", problem, StringComparison.Ordinal);
        Assert.Contains("\\u003Ci\\u003E", problem, StringComparison.Ordinal);
    }
}
