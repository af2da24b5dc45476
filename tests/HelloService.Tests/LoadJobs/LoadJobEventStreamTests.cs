using System.Net;
using System.Text.Json;

using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;

namespace HelloService.Tests.LoadJobs;

/// <summary><c>GET /load/{id}/events</c>: server-sent events of a job's figures.</summary>
// Load jobs burn real CPU: the classes that run them in-process take turns, so none measures another's load.
[Collection("in-process load jobs")]
public class LoadJobEventStreamTests(AppFixture<LoadJobEventStreamTests> fixture) : IClassFixture<AppFixture<LoadJobEventStreamTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Fact]
    public async Task TheStreamSendsProgressEachSecondThenAnEndEventAndCloses()
    {
        using var client = _app.App();
        var id = (await client.StartJobAsync(200, 2)).GetProperty("id").GetInt64();

        using var response = await client.GetAsync($"/load/{id}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response, TimeSpan.FromSeconds(20));

        Assert.Equal("end", events[^1].Type);
        Assert.Equal("completed", events[^1].Data.GetProperty("state").GetString());
        var progress = events.Where(e => e.Type == "progress").ToList();
        Assert.InRange(progress.Count, 2, 4); // at 0 s, 1 s, (2 s): one a second while it ran
        Assert.All(progress, e => Assert.Equal(id, e.Data.GetProperty("id").GetInt64()));
        Assert.True(events[^1].Data.GetProperty("cpuMs").GetDouble() >= progress[^1].Data.GetProperty("cpuMs").GetDouble());
        await BurnSchedulerTests.WaitUntil(() => _app.Get<LoadJobRegistry>().OpenStreams == 0, seconds: 5);
    }

    [Fact]
    public async Task AClientThatGoesAwayLeavesNothingRunning()
    {
        using var client = _app.App();
        var registry = _app.Get<LoadJobRegistry>();
        var id = (await client.StartJobAsync(100, 60)).GetProperty("id").GetInt64();

        using (var gone = new CancellationTokenSource())
        {
            using var response = await client.GetAsync($"/load/{id}/events", HttpCompletionOption.ResponseHeadersRead, gone.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(gone.Token));
            Assert.Equal("event: progress", await reader.ReadLineAsync(gone.Token));
            Assert.Equal(1, registry.OpenStreams);
            await gone.CancelAsync();
        }

        // The stream's loop ends on the server; the job itself is not the stream's and runs on until stopped.
        await BurnSchedulerTests.WaitUntil(() => registry.OpenStreams == 0, seconds: 10);
        Assert.True(registry.Find(id)!.IsRunning);
        using var stop = await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken);
        stop.EnsureSuccessStatusCode();
        Assert.Equal(0, registry.Find(id)!.LiveThreads);
    }

    [Fact]
    public async Task AStreamOfAnEndedJobSendsOnlyTheEndEvent()
    {
        using var client = _app.App();
        var id = (await client.StartJobAsync(50, 30)).GetProperty("id").GetInt64();
        using (var stop = await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken))
        {
            stop.EnsureSuccessStatusCode();
        }

        using var response = await client.GetAsync($"/load/{id}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var events = await ReadEventsAsync(response, TimeSpan.FromSeconds(10));

        var only = Assert.Single(events);
        Assert.Equal("end", only.Type);
        Assert.Equal("cancelled", only.Data.GetProperty("state").GetString());
    }

    /// <summary>Reads events until the server closes the stream (bounded by <paramref name="limit"/>).</summary>
    private static async Task<List<(string Type, JsonElement Data)>> ReadEventsAsync(HttpResponseMessage response, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<(string, JsonElement)>();
        string? type = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((type ?? "message", JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        return events;
    }
}
