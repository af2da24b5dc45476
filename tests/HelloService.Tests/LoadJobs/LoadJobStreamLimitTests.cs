using System.Net;

using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;

namespace HelloService.Tests.LoadJobs;

/// <summary>
/// Event streams are bounded per job and in total, far below the app port's connection cap, so
/// that held streams cannot lock ordinary requests out of the port (issue 24, item 2).
/// </summary>
[Collection("in-process load jobs")]
public class LoadJobStreamLimitTests(AppFixture<LoadJobStreamLimitTests> fixture) : IClassFixture<AppFixture<LoadJobStreamLimitTests>>, IAppSettings
{
    private const int PerJob = 3;
    private const int Total = 4;
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["HelloWorld:MaxEventStreamsPerJob"] = PerJob.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HelloWorld:MaxEventStreams"] = Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task StreamsBeyondTheBoundOfOneJobAre503WhileHelloWorldStillAnswers()
    {
        using var client = _app.App();
        var id = (await client.StartJobAsync(10, 60)).GetProperty("id").GetInt64();
        var held = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < PerJob; i++)
            {
                held.Add(await OpenStreamAsync(client, id));
            }

            using var extra = await client.GetAsync($"/load/{id}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            var problem = await extra.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("HelloWorld__MaxEventStreamsPerJob", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.NotNull(extra.Headers.RetryAfter);

            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync("/hello-world?count=0"));
        }
        finally
        {
            await CloseAsync(held);
        }
    }

    [Fact]
    public async Task StreamsBeyondTheTotalBoundAre503UntilOneCloses()
    {
        using var client = _app.App();
        var first = (await client.StartJobAsync(10, 60)).GetProperty("id").GetInt64();
        var second = (await client.StartJobAsync(10, 60)).GetProperty("id").GetInt64();
        var held = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < Total; i++)
            {
                held.Add(await OpenStreamAsync(client, i < PerJob ? first : second));
            }

            using (var extra = await client.GetAsync($"/load/{second}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken))
            {
                var problem = await extra.ProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.Contains("HelloWorld__MaxEventStreams ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.NotNull(extra.Headers.RetryAfter);
            }

            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync("/hello-world?count=0"));

            held[^1].Dispose();
            held.RemoveAt(held.Count - 1);
            await BurnSchedulerTests.WaitUntil(() => _app.Get<LoadJobRegistry>().OpenStreams == Total - 1, seconds: 10);
            held.Add(await OpenStreamAsync(client, second));
        }
        finally
        {
            await CloseAsync(held);
        }
    }

    private static async Task<HttpResponseMessage> OpenStreamAsync(HttpClient client, long id)
    {
        var response = await client.GetAsync($"/load/{id}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private async Task CloseAsync(List<HttpResponseMessage> held)
    {
        foreach (var response in held)
        {
            response.Dispose();
        }

        await _app.StopAllJobsAsync();
        await BurnSchedulerTests.WaitUntil(() => _app.Get<LoadJobRegistry>().OpenStreams == 0, seconds: 10);
    }
}
