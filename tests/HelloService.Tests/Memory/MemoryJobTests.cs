using System.Diagnostics;
using System.Net;

using HelloService.Tests.Ackermann;
using HelloService.Tests.LoadJobs;

namespace HelloService.Tests.Memory;

/// <summary>
/// Memory load jobs and <c>memMiB</c> requests in the real process, measured as the kubelet would
/// (RssAnon from /proc/PID/status): held to the MiB, given back at once, never past the limit.
/// </summary>
[Trait("Category", "Slow")]
public class MemoryJobTests
{
    private const double MiB = 1024;

    [Fact]
    public async Task AJobRaisesRssAnonByItsTargetAndGivesItBackAtOnce()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "RssAnon is read from /proc");
        using var service = await ServiceProcess.StartReadyAsync();
        using var client = service.App();
        await WarmUpAsync(client);
        var baseline = RssAnonMiB(service);

        var id = await StartAsync(client, "mebibytes=64&seconds=120");
        var rise = await UntilAsync(() => RssAnonMiB(service) - baseline >= 64 - 2);
        Assert.InRange(RssAnonMiB(service) - baseline, 64 - 2, 64 + 2);

        using (var patch = await client.PatchAsync($"/load/{id}?mebibytes=16", null, TestContext.Current.CancellationToken))
        {
            Assert.Equal(16, (await patch.JsonAsync(HttpStatusCode.OK)).GetProperty("mebibytes").GetInt32());
        }

        var down = await UntilAsync(() => RssAnonMiB(service) - baseline <= 16 + 2);
        Assert.InRange(RssAnonMiB(service) - baseline, 16 - 2, 16 + 2);

        using (var deleted = await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var released = await UntilAsync(() => Math.Abs(RssAnonMiB(service) - baseline) <= 4);
        Figures.Report($"memory job 64 MiB: held in {rise.TotalMilliseconds:F0} ms, PATCH 16 MiB in {down.TotalMilliseconds:F0} ms, " +
            $"released in {released.TotalMilliseconds:F0} ms, baseline {baseline:F1} -> {RssAnonMiB(service):F1} MiB RssAnon");
    }

    [Fact]
    public async Task ARampGrowsAlongItsSeconds()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "RssAnon is read from /proc");
        using var service = await ServiceProcess.StartReadyAsync();
        using var client = service.App();
        await WarmUpAsync(client);
        var baseline = RssAnonMiB(service);

        await StartAsync(client, "mebibytes=200&seconds=60&rampSeconds=4");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        var halfway = RssAnonMiB(service) - baseline;
        await UntilAsync(() => RssAnonMiB(service) - baseline >= 200 - 4);

        Assert.InRange(halfway, 40, 160); // about 100 MiB at 2 s of 4; bounds wide for a busy machine
    }

    [Fact]
    public async Task AJobTheLimitCouldNeverHoldIs400AndOneThatDoesNotFitNowIs503WithTheFigures()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Pod__MemoryLimitMiB"] = "400" });
        using var client = service.App();

        using (var never = await client.PostAsync("/load/memory?mebibytes=1000&seconds=60", null, TestContext.Current.CancellationToken))
        {
            var detail = (await never.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!;
            Assert.Contains("limit of 400 MiB", detail, StringComparison.Ordinal);
            Assert.Contains("headroom of 40 MiB", detail, StringComparison.Ordinal);
            Assert.Contains("the working set is", detail, StringComparison.Ordinal);
        }

        await StartAsync(client, "mebibytes=150&seconds=60");
        using var notNow = await client.PostAsync("/load/memory?mebibytes=200&seconds=60", null, TestContext.Current.CancellationToken);
        await notNow.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(notNow.Headers.RetryAfter);
    }

    [Fact]
    public async Task ABurstOfMemMiBRequestsNeverTakesTheProcessPastTheLimit()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "peak RSS is read from /proc");
        const int limit = 300;
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Pod__MemoryLimitMiB"] = $"{limit}" });
        using var client = service.App();
        await WarmUpAsync(client);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await client.GetAsync("/hello-world?memMiB=40&cpuMs=300&parallelism=1", TestContext.Current.CancellationToken);
            return response.StatusCode;
        }));

        var peak = service.PeakRssMiB;
        Assert.Contains(HttpStatusCode.OK, answers);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, answers);
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, status.ToString()));
        Assert.True(peak <= limit, $"peak RSS {peak:F1} MiB above the {limit} MiB limit");
        Figures.Report($"16 x memMiB=40 at once, limit {limit} MiB: {answers.Count(a => a == HttpStatusCode.OK)} held, peak RSS {peak:F1} MiB");
    }

    private static double RssAnonMiB(ServiceProcess service) => ProcFs.Status(service.Id, "RssAnon") / MiB;

    /// <summary>The endpoints' first calls (JIT compilation, pools) come before the baseline.</summary>
    private static async Task WarmUpAsync(HttpClient client)
    {
        var id = await StartAsync(client, "mebibytes=1&seconds=60");
        using (await client.PatchAsync($"/load/{id}?mebibytes=2", null, TestContext.Current.CancellationToken))
        using (await client.DeleteAsync($"/load/{id}", TestContext.Current.CancellationToken))
        using (await client.GetAsync("/hello-world?memMiB=1&count=0", TestContext.Current.CancellationToken))
        {
        }

        await Task.Delay(500, TestContext.Current.CancellationToken);
    }

    private static async Task<long> StartAsync(HttpClient client, string query)
    {
        using var response = await client.PostAsync($"/load/memory?{query}", null, TestContext.Current.CancellationToken);
        return (await response.JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetInt64();
    }

    /// <summary>How long until <paramref name="condition"/> held (failing after 20 s, ~20x the 1 s promised).</summary>
    private static async Task<TimeSpan> UntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        await BurnSchedulerTests.WaitUntil(condition, seconds: 20);
        return stopwatch.Elapsed;
    }
}
