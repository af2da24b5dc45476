using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace HelloService.Tests.Reliability;

/// <summary>A bounded flood far above capacity against the real process.</summary>
[Trait("Category", "Slow")]
[Collection(nameof(Load.CpuMeasurements))]
public class FloodTests
{
    private const int Concurrent = 200;
    private const double SlowestProbeBoundMs = 2000;

    [Fact]
    public async Task FloodGetsOnly200Or503WhileMemoryThreadsAndProbesStayBounded()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        using var service = await ServiceProcess.StartReadyAsync(warmUp: true);
        using var client = service.App();
        using var management = service.Management();

        var threadsBefore = service.Threads;
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var missingRetryAfter = 0;
        var peakRss = 0.0;
        var peakThreads = 0L;

        // The probe runs on a thread of its own with blocking sockets, a new connection each time
        // as the kubelet does: the 200 client tasks below cannot delay it, only the service can.
        using var probe = new ProbeThread(service.ManagementPort, "/healthz/live", TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));

        // 200 heavy requests at once, each 8 x A(3, 10) on 2 workers (~0.2 s of work per core).
        var flood = Enumerable.Range(0, Concurrent).Select(async _ =>
        {
            using var response = await client.GetAsync("/hello-world?count=8&m=10&parallelism=2", TestContext.Current.CancellationToken);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
            {
                Interlocked.Increment(ref missingRetryAfter);
            }
        }).ToArray();
        var all = Task.WhenAll(flood);

        // Meanwhile, sample memory and threads for as long as the flood lasts (bounded).
        var deadline = Stopwatch.StartNew();
        while (!all.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            peakRss = Math.Max(peakRss, service.RssMiB);
            peakThreads = Math.Max(peakThreads, service.Threads);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await all.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        probe.Dispose();
        var probes = probe.LatenciesMs;
        Array.Sort(probes);

        Assert.Equal(Concurrent, statuses.Values.Sum());
        Assert.All(statuses.Keys, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"got {status}"));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.OK) > 0, "nothing was served");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) > 0, "the flood never exceeded capacity");
        Assert.Equal(0, missingRetryAfter);
        Assert.Equal(0, probe.Failures);
        Assert.NotEmpty(probes);

        // About 10x the slowest probe measured this way: 46 to 114 ms alone on a 2-core machine at
        // load 2-3, 158 to 575 ms (once 1363 ms at load 8) inside the slow suite beside other process
        // tests and builds, before this test ran alone; the median probe is 2 ms. It catches a starved
        // management port, not noise.
        Assert.True(probes[^1] < SlowestProbeBoundMs, $"a probe took {probes[^1]:F0} ms");
        Assert.True(peakRss < 200, $"RSS reached {peakRss:F0} MiB, the pod's limit is 200 MiB");
        Assert.True(peakThreads < threadsBefore + 64, $"threads went from {threadsBefore} to {peakThreads}");

        // One second after the flood, a normal request is served.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        using var after = await client.GetAsync("/hello-world?count=2&m=8", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Figures.Report(
            $"flood: {string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}"))}; peak RSS {peakRss:F0} MiB; " +
            $"threads {threadsBefore} -> {peakThreads}; {probes.Length} probes from their own thread: median {probes[probes.Length / 2]:F1} ms, slowest {probes[^1]:F1} ms");
    }
}
