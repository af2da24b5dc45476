using System.Net;

namespace HelloService.Tests.Reliability;

public class ApiKeyTests(AppFixture<ApiKeyTests> fixture) : IClassFixture<AppFixture<ApiKeyTests>>, IAppSettings
{
    private const string Key = "s3cret-demo-key-0123";
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?> { ["HelloWorld:ApiKey"] = Key };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData(Key + "x")]
    [InlineData("s3cret-demo-key-012")]
    public async Task HelloWorldWithoutTheRightKeyIs401(string? given)
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello-world?count=0");
        if (given is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", given);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Every /load operation, including those on a job (which must not say whether it exists) and its event stream.</summary>
    [Theory]
    [InlineData("POST", "/load/cpu?millicores=100&seconds=5")]
    [InlineData("GET", "/load")]
    [InlineData("GET", "/load/1")]
    [InlineData("PATCH", "/load/1?millicores=200")]
    [InlineData("DELETE", "/load/1")]
    [InlineData("GET", "/load/1/events")]
    public async Task LoadWithoutTheKeyIs401(string method, string path)
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyGivenTwiceIs401()
    {
        using var client = _app.App();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello-world?count=0");
        request.Headers.TryAddWithoutValidation("X-Api-Key", new[] { Key, Key });

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RightKeyGreetsAndWrongOnesAreCounted()
    {
        var before = await _app.MetricAsync("helloservice_requests_rejected_total{reason=\"unauthorized\"}");
        using var client = _app.App();
        using var denied = await client.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello-world?count=1&m=3");
        request.Headers.Add("X-Api-Key", Key);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var body = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(61, body.GetProperty("ackermann").GetProperty("value").GetInt32());
        Assert.Equal(before + 1, await _app.MetricAsync("helloservice_requests_rejected_total{reason=\"unauthorized\"}"));
    }

    [Fact]
    public async Task KeyIsCheckedBeforeTheQuery()
    {
        using var client = _app.App();
        using var response = await client.GetAsync("/hello-world?count=oops", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    [InlineData("/metrics")]
    [InlineData("/info")]
    public async Task ManagementPortNeedsNoKey(string path)
    {
        using var client = _app.Management();

        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(path));
    }

    [Fact]
    public async Task InfoSaysAKeyIsRequired()
    {
        using var client = _app.Management();
        var info = await (await client.GetAsync("/info", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.True(info.GetProperty("limits").GetProperty("apiKeyRequired").GetBoolean());
    }
}
