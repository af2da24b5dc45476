using System.Diagnostics;

namespace HelloService.Perf;

internal sealed record OverheadResult(double ServiceRps, double BareRps, double ProbeRps, int Requests, int Connections, int Rounds)
{
    public double Ratio => ServiceRps / BareRps;
}

/// <summary>
/// 4. Overhead: requests/s of /hello-world?count=0 on the service against GET / on a bare
/// Kestrel process, the same fixed number of requests over the same keep-alive connections.
/// </summary>
internal static class Overhead
{
    public const int Requests = 20_000;
    public const int Connections = 4;

    public static async Task<OverheadResult> MeasureAsync(string servicePath, int rounds)
    {
        using var service = ServerProcess.StartService(servicePath);
        using var bare = ServerProcess.StartBare();
        await service.WaitUntilReadyAsync();
        await bare.WaitForOkAsync(bare.AppPort, "/");
        using var serviceClient = Hello.Client(service.AppUri, Connections);
        using var bareClient = Hello.Client(bare.AppUri, Connections);
        using var probeClient = Hello.Client(service.ManagementUri, Connections);
        var probePath = new Uri("/healthz/live", UriKind.Relative);
        var servicePathAndQuery = new Uri("/hello-world?count=0", UriKind.Relative);
        var barePath = new Uri("/", UriKind.Relative);

        await RunAsync(serviceClient, servicePathAndQuery, Requests / 4); // warm-up both
        await RunAsync(bareClient, barePath, Requests / 4);
        await RunAsync(probeClient, probePath, Requests / 4);

        var serviceRps = new List<double>();
        var bareRps = new List<double>();
        var probeRps = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            serviceRps.Add(await RunAsync(serviceClient, servicePathAndQuery, Requests));
            bareRps.Add(await RunAsync(bareClient, barePath, Requests));
            probeRps.Add(await RunAsync(probeClient, probePath, Requests));
        }

        return new OverheadResult(Stats.Median(serviceRps), Stats.Median(bareRps), Stats.Median(probeRps), Requests, Connections, rounds);
    }

    /// <summary><paramref name="requests"/> GETs from <see cref="Connections"/> sequential loops; returns requests/s.</summary>
    private static async Task<double> RunAsync(HttpClient client, Uri uri, int requests)
    {
        var started = Stopwatch.GetTimestamp();
        var loops = Enumerable.Range(0, Connections).Select(async _ =>
        {
            for (var i = 0; i < requests / Connections; i++)
            {
                using var response = await client.GetAsync(uri);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }
        });
        await Task.WhenAll(loops);
        return requests / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
