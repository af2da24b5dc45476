using System.Net;

using HelloService.Memory;
using HelloService.Tests.Ackermann;

namespace HelloService.Tests.Memory;

/// <summary>The one account of memory held on purpose: what is reserved is given back once, never more.</summary>
public class MemoryAccountTests
{
    /// <summary>A new user's attack: a PATCH up on an ended job gave back MiB it never reserved, and the cap stopped holding.</summary>
    [Fact]
    public async Task APatchOnAnEndedJobGivesNothingBackSoTheCapStillHolds()
    {
        using var app = new HelloServiceApp(new Dictionary<string, string?> { ["HelloWorld:MaxMemoryMiB"] = "64" }).Started();
        using var client = app.App();
        var cancellation = TestContext.Current.CancellationToken;
        var account = app.Get<MemoryAdmission>();

        using (var started = await client.PostAsync("/load/memory?mebibytes=4&seconds=1", null, cancellation))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        await BurnSchedulerTests.WaitUntil(() => account.ReservedMiB == 0);
        using (var late = await client.PatchAsync("/load/1?mebibytes=64", null, cancellation))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        }

        Assert.Equal(0, account.ReservedMiB);
        using var first = await client.PostAsync("/load/memory?mebibytes=64&seconds=30", null, cancellation);
        using var second = await client.PostAsync("/load/memory?mebibytes=64&seconds=30", null, cancellation);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(64, account.ReservedMiB);

        using (await client.DeleteAsync("/load/2", cancellation))
        {
        }

        await BurnSchedulerTests.WaitUntil(() => account.ReservedMiB == 0);
    }
}
