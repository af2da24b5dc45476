using System.Net;
using System.Text.Json;

using HelloService.LoadJobs;

namespace HelloService.Tests.LoadJobs;

/// <summary>Helpers for the <c>/load</c> tests: start, read and wait for jobs over HTTP.</summary>
internal static class LoadJobApp
{
    public static async Task<JsonElement> StartJobAsync(this HttpClient client, int millicores, int seconds)
    {
        using var response = await client.PostAsync($"/load/cpu?millicores={millicores}&seconds={seconds}", null, TestContext.Current.CancellationToken);
        var job = await response.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal($"/load/{job.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        return job;
    }

    public static async Task<JsonElement> JobAsync(this HttpClient client, long id)
    {
        using var response = await client.GetAsync($"/load/{id}", TestContext.Current.CancellationToken);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Budget workers held by every load job of the app right now.</summary>
    public static int LoadWorkers(this HelloServiceApp app) => app.Get<LoadJobRegistry>().All().Sum(j => j.LiveThreads);

    /// <summary>Stops every job the app still runs, so one test's load does not slow the next.</summary>
    public static async Task StopAllJobsAsync(this HelloServiceApp app)
    {
        foreach (var job in app.Get<LoadJobRegistry>().All())
        {
            job.Stop(LoadJobState.Cancelled);
            await job.ThreadsEnded.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
