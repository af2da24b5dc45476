using System.Net;

namespace HelloService.Tests.HelloWorld;

/// <summary>What a 400 says: the effective limit and where it comes from, once, and never too much.</summary>
public class QueryMessageTests(AppFixture<QueryMessageTests> fixture) : IClassFixture<AppFixture<QueryMessageTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["HelloWorld:MaxBusyWorkers"] = "8",
    };

    [Fact]
    public async Task ParallelismAboveTheWorkerBudgetNamesTheEffectiveLimitAndItsSettings()
    {
        var message = await ErrorAsync("parallelism=65", "parallelism");

        Assert.Contains("from 1 to 8", message, StringComparison.Ordinal);
        Assert.Contains("HelloWorld__MaxBusyWorkers (8)", message, StringComparison.Ordinal);
        Assert.Contains("HelloWorld__MaxParallelism (64)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyParameterNameIsReportedAsSuch()
    {
        using var client = _app.App();
        using var response = await client.GetAsync("/hello-world?=", TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["(empty name)"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task AThousandUnknownParametersGetASmallAnswerThatCountsTheRest()
    {
        var query = string.Join('&', Enumerable.Range(0, 1000).Select(i => $"p{i}=1"));
        using var client = _app.App();
        using var response = await client.GetAsync($"/hello-world?{query}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateObject().ToList();
        Assert.Equal(11, errors.Count);
        Assert.Contains("990 more", errors.Single(e => e.Name == "(more)").Value[0].GetString(), StringComparison.Ordinal);
        Assert.True(body.Length < 4096, $"{body.Length} bytes");
    }

    [Theory]
    [InlineData("%20%20%20", "visible")]
    [InlineData("abc%E2%80%AEdef", "U+202E")] // right-to-left override
    [InlineData("a%E2%80%8Bb", "U+200B")] // zero-width space
    [InlineData("%F0%9F%98%80", null)] // one emoji: one character
    public async Task NamesMustBeVisibleWithoutInvisibleFormatting(string name, string? error)
    {
        using var client = _app.App();
        using var response = await client.GetAsync($"/hello-world?count=0&name={name}", TestContext.Current.CancellationToken);
        if (error is null)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(error, problem.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameLengthCountsCharactersAReaderSees()
    {
        var hundredAccented = string.Concat(Enumerable.Repeat("e%CC%81", 100)); // e + combining acute: 100 characters, 200 UTF-16 units
        using var client = _app.App();
        using var ok = await client.GetAsync($"/hello-world?count=0&name={hundredAccented}", TestContext.Current.CancellationToken);
        using var tooLong = await client.GetAsync($"/hello-world?count=0&name={hundredAccented}x", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var message = (await tooLong.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("name")[0].GetString();
        Assert.Equal("The name must be at most 100 characters long.", message);
    }

    private async Task<string> ErrorAsync(string query, string parameter)
    {
        using var client = _app.App();
        using var response = await client.GetAsync($"/hello-world?{query}", TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").GetProperty(parameter)[0].GetString()!;
    }
}
