using System.Net;

namespace HelloService.Tests.LoadJobs;

/// <summary>Answers that tell a first-time user what to send instead (issue 24, items 16 and 18).</summary>
public class LoadJobUsageTests(AppFixture<LoadJobUsageTests> fixture) : IClassFixture<AppFixture<LoadJobUsageTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Fact]
    public async Task MillicoresWithAKubernetesSuffixGetAHint()
    {
        using var client = _app.App();

        using var response = await client.PostAsync("/load/cpu?millicores=850m&seconds=5", null, TestContext.Current.CancellationToken);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("millicores are a whole number: 850, not 850m", problem.GetProperty("errors").GetProperty("millicores")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOnLoadCpuIs405NamingPost()
    {
        using var client = _app.App();

        using var response = await client.GetAsync("/load/cpu", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }
}
