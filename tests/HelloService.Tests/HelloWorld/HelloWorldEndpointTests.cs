using System.Net;
using System.Text.Json;

namespace HelloService.Tests.HelloWorld;

public class HelloWorldEndpointTests(AppFixture<HelloWorldEndpointTests> fixture) : IClassFixture<AppFixture<HelloWorldEndpointTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["HelloWorld:MaxBusyWorkers"] = "8",
    };

    [Fact]
    public async Task GreetsWithTheOriginalContractAndTheConfiguredDefaults()
    {
        using var client = _app.App();
        using var response = await client.GetAsync("/hello-world", TestContext.Current.CancellationToken);
        var body = await response.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("id").GetInt64() >= 1);
        Assert.Equal("Hello, Stranger!", body.GetProperty("content").GetString());
        Assert.Equal(Environment.MachineName, body.GetProperty("host").GetString());
        var ackermann = body.GetProperty("ackermann");
        Assert.Equal(3, ackermann.GetProperty("n").GetInt32());
        Assert.Equal(6, ackermann.GetProperty("m").GetInt32()); // HelloWorld:M from configuration
        Assert.Equal(509, ackermann.GetProperty("value").GetInt32());
        Assert.Equal(4, ackermann.GetProperty("count").GetInt32()); // HelloWorld:Count
        Assert.Equal(Math.Min(Environment.ProcessorCount, 8), ackermann.GetProperty("parallelism").GetInt32());
        Assert.Equal(172_233L, ackermann.GetProperty("calls").GetInt64());
        Assert.True(ackermann.GetProperty("elapsedMs").GetDouble() > 0, "4 x A(3, 6) take time");
        Assert.Equal(JsonValueKind.Null, ackermann.GetProperty("cpuMsTarget").ValueKind);
    }

    [Fact]
    public async Task IdsCountSuccessfulGreetingsOnly()
    {
        using var client = _app.App();
        var first = (await (await client.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK))
            .GetProperty("id").GetInt64();
        using var invalid = await client.GetAsync("/hello-world?count=x", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var second = (await (await client.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK))
            .GetProperty("id").GetInt64();

        // Tests of one class run one at a time, and this app is the class's own: nothing else greets.
        Assert.Equal(first + 1, second);
        Assert.True(first >= 1);
    }

    [Theory]
    [InlineData("name=Bob&n=2&m=3&count=3&parallelism=1", "Hello, Bob!", 2, 3, 9, 3, 1, 44)]
    [InlineData("n=0&m=5&count=1", "Hello, Stranger!", 0, 5, 6, 1, -1, 1)]
    [InlineData("n=1&m=7&count=2&parallelism=2", "Hello, Stranger!", 1, 7, 9, 2, 2, 16)]
    [InlineData("n=3&m=8&count=2&parallelism=2&name=%C3%A9l%C3%A8ve", "Hello, élève!", 3, 8, 2045, 2, 2, 2_785_999)]
    public async Task QueryParametersChooseTheWork(
        string query, string content, int n, int m, int value, int count, int parallelism, long calls)
    {
        using var client = _app.App();
        var body = await (await client.GetAsync($"/hello-world?{query}", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(content, body.GetProperty("content").GetString());
        var ackermann = body.GetProperty("ackermann");
        Assert.Equal(n, ackermann.GetProperty("n").GetInt32());
        Assert.Equal(m, ackermann.GetProperty("m").GetInt32());
        Assert.Equal(value, ackermann.GetProperty("value").GetInt32());
        Assert.Equal(count, ackermann.GetProperty("count").GetInt32());
        if (parallelism > 0)
        {
            Assert.Equal(parallelism, ackermann.GetProperty("parallelism").GetInt32());
        }

        Assert.Equal(calls, ackermann.GetProperty("calls").GetInt64());
    }

    [Fact]
    public async Task ZeroCountGreetsWithoutComputing()
    {
        using var client = _app.App();
        var body = await (await client.GetAsync("/hello-world?count=0", TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, body.GetProperty("ackermann").GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ackermann").GetProperty("calls").ValueKind);
        Assert.Equal(0, body.GetProperty("ackermann").GetProperty("count").GetInt32());
        Assert.Equal(0, body.GetProperty("ackermann").GetProperty("workers").GetInt32());
    }

    [Theory]
    [InlineData("count=-1", new[] { "count" })]
    [InlineData("count=1001", new[] { "count" })]
    [InlineData("count=abc", new[] { "count" })]
    [InlineData("count=", new[] { "count" })]
    [InlineData("count=99999999999999999999", new[] { "count" })]
    [InlineData("count=+5", new[] { "count" })]
    [InlineData("count=%205", new[] { "count" })]
    [InlineData("count=1.5", new[] { "count" })]
    [InlineData("count=1&count=2", new[] { "count" })]
    [InlineData("parallelism=0", new[] { "parallelism" })]
    [InlineData("parallelism=65", new[] { "parallelism" })]
    [InlineData("parallelism=9", new[] { "parallelism" })] // above MaxBusyWorkers=8: could never be admitted
    [InlineData("n=4", new[] { "n" })]
    [InlineData("n=-0", new[] { "n" })]
    [InlineData("m=15", new[] { "m" })]
    [InlineData("m=2147483648", new[] { "m" })]
    [InlineData("name=", new[] { "name" })]
    [InlineData("name=%0A", new[] { "name" })]
    [InlineData("color=red", new[] { "color" })]
    [InlineData("count=-1&parallelism=x&n=9&m=99&name=&extra=1", new[] { "count", "parallelism", "n", "m", "name", "extra" })]
    [InlineData("N=1&n=2", new[] { "n" })]
    public async Task InvalidQueryIsABadRequestNamingEveryOffendingParameter(string query, string[] offending)
    {
        using var client = _app.App();
        using var response = await client.GetAsync($"/hello-world?{query}", TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        var named = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(offending.Order().ToArray(), named);
    }

    [Fact]
    public async Task NameOfMoreThanAHundredCharactersIsRejected()
    {
        using var client = _app.App();
        using var ok = await client.GetAsync($"/hello-world?count=0&name={new string('a', 100)}", TestContext.Current.CancellationToken);
        using var tooLong = await client.GetAsync($"/hello-world?count=0&name={new string('a', 101)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var problem = await tooLong.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task RejectedInputIsCountedAsInvalid()
    {
        var before = await _app.MetricAsync("helloservice_requests_rejected_total{reason=\"invalid\"}");
        using var client = _app.App();
        using var _ = await client.GetAsync("/hello-world?m=-3", TestContext.Current.CancellationToken);

        // Tests of one class run one at a time, and each app has metrics of its own: exactly one more.
        Assert.Equal(before + 1, await _app.MetricAsync("helloservice_requests_rejected_total{reason=\"invalid\"}"));
    }

}
