using System.Net;

using HelloService.Demo;
using HelloService.Hosting;

namespace HelloService.Tests.Demo;

public sealed class DemoEndpointTests
{
    private static readonly string[] Scripts = ["/chart.js", "/demo.js", "/hpa.js", "/jobs.js"];

    private static readonly string[] PagePaths = ["/", "/demo.css", .. Scripts];

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/demo.js", "text/javascript")]
    [InlineData("/chart.js", "text/javascript")]
    [InlineData("/hpa.js", "text/javascript")]
    [InlineData("/jobs.js", "text/javascript")]
    [InlineData("/demo.css", "text/css")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task PageFilesComeFromTheBinaryWithAStrictContentSecurityPolicy(string path, string mediaType)
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.App();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True((await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 100);
    }

    [Fact]
    public async Task PageHtmlScriptAndStyleStayUnder100KB()
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.App();

        long total = 0;
        foreach (var path in PagePaths)
        {
            total += (await client.GetByteArrayAsync(path, TestContext.Current.CancellationToken)).Length;
        }

        Assert.InRange(total, 1, 100 * 1024);
        Figures.Report($"demo page: HTML + script + style = {total} bytes uncompressed");
    }

    [Fact]
    public async Task PageHasNoInlineScriptOrStyleAndNoThirdPartyAddress()
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.App();

        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var script = string.Concat(await Task.WhenAll(Scripts.Select(path => client.GetStringAsync(path, TestContext.Current.CancellationToken))));

        Assert.Equal(Scripts.Length, CountOf(html, "<script"));
        Assert.All(Scripts, path => Assert.Contains($"<script src=\"{path}\" defer></script>", html, StringComparison.Ordinal));
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"<[^>]*\son[a-z]+\s*=", html);
        Assert.DoesNotContain("http", html + script, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("setAttribute('style'", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnchangedFileIsRevalidatedWith304()
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.App();
        using var first = await client.GetAsync("/demo.js", TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/demo.js");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("W/{0}", HttpStatusCode.NotModified)] // a compressing proxy weakens the tag
    [InlineData("\"other\", {0}", HttpStatusCode.NotModified)]
    [InlineData("*", HttpStatusCode.NotModified)]
    [InlineData("\"other\"", HttpStatusCode.OK)]
    public async Task IfNoneMatchComparesWeaklyAndReadsLists(string ifNoneMatch, HttpStatusCode expected)
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.App();
        using var first = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag!.Tag;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, ifNoneMatch, etag));
        using var second = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, second.StatusCode);
    }

    [Fact]
    public async Task StatusReportsTheInstanceAndNothingSecret()
    {
        const string key = "status-secret-0123456789";
        await using var app = new HelloServiceApp(new Dictionary<string, string?>
        {
            ["Server:InstanceName"] = "status-1",
            ["HelloWorld:ApiKey"] = key,
            ["HelloWorld:MaxBusyWorkers"] = "6",
        }).Started();
        using var client = app.App();

        using var response = await client.GetAsync("/status", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var status = await response.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("status-1", status.GetProperty("host").GetString());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("version").GetString()));
        Assert.Equal(Environment.ProcessorCount, status.GetProperty("processorCount").GetInt32());
        Assert.Equal(0, status.GetProperty("workers").GetProperty("busy").GetInt32());
        Assert.Equal(6, status.GetProperty("workers").GetProperty("max").GetInt32());
        Assert.True(status.GetProperty("apiKeyRequired").GetBoolean());
        Assert.DoesNotContain(key, body, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/demo.js")]
    [InlineData("/status")]
    public async Task DemoIsNotServedOnTheManagementPort(string path)
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.Management();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HelloWorldAnswersWithTheInstanceName()
    {
        await using var app = new HelloServiceApp(new Dictionary<string, string?> { ["Server:InstanceName"] = "named-7" }).Started();
        using var client = app.App();

        var greeting = await (await client.GetAsync("/hello-world?count=1&m=2", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("named-7", greeting.GetProperty("host").GetString());
    }

    [Fact]
    public async Task InstanceNameDefaultsToTheMachineName()
    {
        await using var app = new HelloServiceApp().Started();
        using var client = app.App();

        var status = await (await client.GetAsync("/status", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(Environment.MachineName, status.GetProperty("host").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("a/b")]
    [InlineData("<b>x</b>")]
    [InlineData("naïve")]
    [InlineData("line\nbreak")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void InvalidInstanceNameFailsValidationNamingTheKey(string value)
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { InstanceName = value });

        Assert.True(result.Failed);
        Assert.StartsWith("Server:InstanceName (environment variable Server__InstanceName) ", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("helloservice-7d9f8b6c5-x2x4z")]
    [InlineData("node-1.example.internal")]
    [InlineData("demo_a")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void HostAndPodNamesAreValidInstanceNames(string value)
    {
        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions { InstanceName = value }).Succeeded);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ServiceWithAnInvalidInstanceNameExitsWithCode1AndSaysWhichKey()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string> { ["Server__InstanceName"] = "no spaces" });

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not stop");
        Assert.Equal(1, service.ExitCode);
        Assert.Contains("Server:InstanceName (environment variable Server__InstanceName)", service.Output, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
