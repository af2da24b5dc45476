using System.Diagnostics;

using HelloService.Testing;

namespace HelloService.Perf;

internal sealed record ProbeLatency(double P50Ms, double P99Ms, double MaxMs);

internal sealed record ResponsivenessResult(ProbeLatency Idle, ProbeLatency Saturated, int Probes, int Rounds, int BusyWorkers);

/// <summary>
/// Responsiveness: latency of sequential /healthz/live probes (one keep-alive connection, as
/// a kubelet would) on an idle service and while a heavy request keeps 2 x cores workers busy.
/// </summary>
internal static class Responsiveness
{
    public const int Probes = 300;

    public static async Task<ResponsivenessResult> MeasureAsync(string servicePath, int rounds, IDictionary<string, string>? settings = null)
    {
        var busy = 2 * Environment.ProcessorCount;
        using var service = ServiceProcess.Start(servicePath, settings);
        await service.WaitUntilReadyAsync();
        using var probe = Hello.Client(service.ManagementUri);
        using var management = Hello.Client(service.ManagementUri);
        using var app = Hello.Client(service.AppUri);
        await ProbeAsync(probe, 50); // warm-up

        var idle = new List<ProbeLatency>();
        var saturated = new List<ProbeLatency>();
        for (var round = 0; round < rounds; round++)
        {
            idle.Add(Summarize(await ProbeAsync(probe, Probes)));

            // A request that would burn for minutes; cancelled (client abort) once the probes are done.
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var heavy = Hello.GetAsync(app, $"count=1000&parallelism={busy}&n=3&m=11", stop.Token);
            await WaitForBusyWorkersAsync(management, busy);
            var latencies = await ProbeAsync(probe, Probes);
            var stillBusy = await Hello.MetricAsync(management, "helloservice_workers_busy");
            await stop.CancelAsync();
            try
            {
                await heavy;
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
            {
                // Expected: we abandoned it.
            }

            if (stillBusy != busy)
            {
                throw new InvalidOperationException($"workers busy at the end of the probes: {stillBusy}, expected {busy}");
            }

            saturated.Add(Summarize(latencies));
            await WaitForBusyWorkersAsync(management, 0);
        }

        return new ResponsivenessResult(Median(idle), Median(saturated), Probes, rounds, busy);
    }

    private static async Task<List<double>> ProbeAsync(HttpClient client, int count)
    {
        var latencies = new List<double>(count);
        var uri = new Uri("/healthz/live", UriKind.Relative);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(uri);
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }

    private static async Task WaitForBusyWorkersAsync(HttpClient management, int expected)
    {
        var limit = Stopwatch.StartNew();
        while (await Hello.MetricAsync(management, "helloservice_workers_busy") != expected)
        {
            if (limit.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"helloservice_workers_busy did not reach {expected}");
            }

            await Task.Delay(20);
        }
    }

    private static ProbeLatency Summarize(List<double> latencies) =>
        new(Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), latencies.Max());

    private static ProbeLatency Median(List<ProbeLatency> rounds) =>
        new(Stats.Median(rounds.Select(r => r.P50Ms)), Stats.Median(rounds.Select(r => r.P99Ms)), Stats.Median(rounds.Select(r => r.MaxMs)));
}
