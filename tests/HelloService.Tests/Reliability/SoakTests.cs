using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace HelloService.Tests.Reliability;

/// <summary>
/// Mixed light, heavy, invalid and aborted requests against the real process for a bounded
/// time (SOAK_SECONDS, default 20), then: no busy workers, threads and memory back near where
/// they started, and every counter adds up.
/// </summary>
[Trait("Category", "Slow")]
public class SoakTests
{
    private const int Loops = 6;

    [Fact]
    public async Task MixedTrafficLeavesNothingBehindAndCountersAddUp()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 5, 600) : 20;
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["HelloWorld__MaxBusyWorkers"] = "6" }, warmUp: true);
        using var client = service.App();
        using var management = service.Management();

        var before = await Snapshot(management);
        var rssBefore = service.RssMiB;
        var threadsBefore = service.Threads;
        var sent = new ConcurrentDictionary<string, int>();
        var answered = new ConcurrentDictionary<HttpStatusCode, int>();
        var stopwatch = Stopwatch.StartNew();
        var peakRss = rssBefore;

        async Task Loop(int seed)
        {
            var random = new Random(seed);
            while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var (kind, query) = random.Next(10) switch
                {
                    < 3 => ("light", "count=0"),
                    < 5 => ("medium", "count=4&m=8&parallelism=2"),
                    < 6 => ("heavy", "count=4&m=11&parallelism=2"),
                    < 8 => ("invalid", "count=-1&m=x"),
                    _ => ("aborted", "count=4&m=14&parallelism=2"),
                };
                sent.AddOrUpdate(kind, 1, (_, n) => n + 1);
                using var abort = new CancellationTokenSource(kind == "aborted" ? TimeSpan.FromMilliseconds(random.Next(50, 400)) : TimeSpan.FromSeconds(60));
                try
                {
                    using var response = await client.GetAsync($"/hello-world?{query}", abort.Token);
                    answered.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                }
                catch (OperationCanceledException) when (kind == "aborted")
                {
                    // The point of this kind.
                }
            }
        }

        var loops = Enumerable.Range(1, Loops).Select(Loop).ToArray();
        while (!Task.WhenAll(loops).IsCompleted)
        {
            peakRss = Math.Max(peakRss, service.RssMiB);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(loops);
        await Ackermann.BurnSchedulerTests.WaitUntil(() => Busy(management) == 0, seconds: 10);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var after = await Snapshot(management);
        var rssAfter = service.RssMiB;
        var threadsAfter = service.Threads;

        double Delta(string series) => after[series] - before[series];
        var started = Delta("helloservice_ackermann_computations_started_total");
        var completed = Delta("helloservice_ackermann_computations_total{outcome=\"completed\"}");
        var cancelled = Delta("helloservice_ackermann_computations_total{outcome=\"cancelled\"}");
        Assert.Equal(started, completed + cancelled);
        Assert.Equal(answered.GetValueOrDefault(HttpStatusCode.OK), Delta("helloservice_greetings_total"));
        Assert.Equal(answered.GetValueOrDefault(HttpStatusCode.BadRequest), Delta("helloservice_requests_rejected_total{reason=\"invalid\"}"));
        Assert.Equal(sent.GetValueOrDefault("invalid"), answered.GetValueOrDefault(HttpStatusCode.BadRequest));
        Assert.Equal(answered.GetValueOrDefault(HttpStatusCode.ServiceUnavailable), Delta("helloservice_requests_rejected_total{reason=\"overloaded\"}"));
        Assert.All(answered.Keys, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.ServiceUnavailable, $"got {status}"));
        Assert.True(cancelled > 0, "no computation was cancelled: the aborts did not reach the workers");
        Assert.Equal(0, after["helloservice_workers_busy"]);
        Assert.True(threadsAfter <= threadsBefore + 8, $"threads {threadsBefore} -> {threadsAfter}");
        Assert.True(rssAfter < rssBefore + 64, $"RSS {rssBefore:F0} -> {rssAfter:F0} MiB");
        Assert.True(peakRss < 200, $"RSS peaked at {peakRss:F0} MiB");
        Figures.Report(
            $"soak {seconds} s x {Loops} loops: sent {string.Join(", ", sent.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; " +
            $"answered {string.Join(", ", answered.OrderBy(p => p.Key).Select(p => $"{(int)p.Key} {p.Value}"))}; " +
            $"computations started {started} = completed {completed} + cancelled {cancelled}; " +
            $"threads {threadsBefore} -> {threadsAfter}; RSS {rssBefore:F0} -> peak {peakRss:F0} -> {rssAfter:F0} MiB");
    }

    private static double Busy(HttpClient management) =>
        Http.Sample(management.GetStringAsync("/metrics").GetAwaiter().GetResult(), "helloservice_workers_busy");

    private static async Task<Dictionary<string, double>> Snapshot(HttpClient management)
    {
        var text = await management.GetStringAsync("/metrics");
        return new[]
        {
            "helloservice_ackermann_computations_started_total",
            "helloservice_ackermann_computations_total{outcome=\"completed\"}",
            "helloservice_ackermann_computations_total{outcome=\"cancelled\"}",
            "helloservice_greetings_total",
            "helloservice_requests_rejected_total{reason=\"invalid\"}",
            "helloservice_requests_rejected_total{reason=\"overloaded\"}",
            "helloservice_workers_busy",
        }.ToDictionary(series => series, series => Http.Sample(text, series));
    }
}
