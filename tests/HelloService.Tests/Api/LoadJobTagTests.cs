using System.Net;

using HelloService.Tests.LoadJobs;

namespace HelloService.Tests.Api;

/// <summary>A load job's ETag names the job: the same on every answer about it, through a change, and accepted as If-Match.</summary>
public class LoadJobTagTests(AppFixture<LoadJobTagTests> fixture) : IClassFixture<AppFixture<LoadJobTagTests>>, IAppSettings
{
    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    [Fact]
    public async Task TheTagIsUnchangedAcrossAPatchAndAcceptedByGetAndPatch()
    {
        using var client = _app.App();
        using var started = await client.PostAsync("/load/cpu?millicores=100&seconds=30", null, TestContext.Current.CancellationToken);
        var id = (await started.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetInt64();
        var tag = started.Headers.ETag?.Tag;
        Assert.NotNull(tag);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/load/{id}?millicores=200");
        patch.Headers.TryAddWithoutValidation("If-Match", tag);
        using var patched = await client.SendAsync(patch, TestContext.Current.CancellationToken);
        Assert.Equal(200, (await patched.JsonAsync(HttpStatusCode.OK)).GetProperty("millicores").GetInt32());
        Assert.Equal(tag, patched.Headers.ETag?.Tag);

        using var get = new HttpRequestMessage(HttpMethod.Get, $"/load/{id}");
        get.Headers.TryAddWithoutValidation("If-Match", $"\"other\", {tag}");
        using var read = await client.SendAsync(get, TestContext.Current.CancellationToken);
        Assert.Equal(200, (await read.JsonAsync(HttpStatusCode.OK)).GetProperty("millicores").GetInt32());
        Assert.Equal(tag, read.Headers.ETag?.Tag);

        await _app.StopAllJobsAsync();
    }
}
