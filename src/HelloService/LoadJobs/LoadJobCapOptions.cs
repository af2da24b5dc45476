using System.ComponentModel.DataAnnotations;

using HelloService.HelloWorld;
using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

/// <summary>
/// What load jobs may take from the rest of the service: their share of the worker budget and
/// the event streams they may hold open. Bound to section <c>HelloWorld</c>, beside the other
/// load-job settings (environment: <c>HelloWorld__MaxLoadJobWorkersPercent=75</c>).
/// </summary>
internal sealed class LoadJobCapOptions
{
    /// <summary>
    /// The share of the worker budget (<c>HelloWorld__MaxBusyWorkers</c>) that load jobs together
    /// may hold, in percent (at least one worker); the rest stays for <c>/hello-world</c>.
    /// </summary>
    [Range(1, 100)]
    public int MaxLoadJobWorkersPercent { get; set; } = 75;

    /// <summary>Event streams (<c>GET /load/{id}/events</c>) open at once on one job.</summary>
    [Range(1, 10_000)]
    public int MaxEventStreamsPerJob { get; set; } = 8;

    /// <summary>
    /// Event streams open at once on all jobs together; at most half of
    /// <c>Server__MaxAppConnections</c> apply, so that held streams leave room for requests.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxEventStreams { get; set; } = 32;

    /// <summary>Memory kept free below the container's limit, in percent of it (at least <see cref="MinMemoryHeadroomMiB"/>).</summary>
    [Range(0, 90)]
    public int MemoryHeadroomPercent { get; set; } = 10;

    /// <summary>The least headroom kept free below the container's memory limit, in MiB.</summary>
    [Range(0, 1_048_576)]
    public int MinMemoryHeadroomMiB { get; set; } = 16;

    /// <summary>MiB that memory jobs and <c>memMiB</c> requests may hold together, whatever the limit.</summary>
    [Range(1, 16_777_216)]
    public int MaxMemoryMiB { get; set; } = 8192;

    /// <summary>Workers the jobs of a budget of <paramref name="budget"/> may hold together.</summary>
    public int JobWorkers(int budget) => Math.Max(1, budget * MaxLoadJobWorkersPercent / 100);

    /// <summary>The total stream bound in force: the setting, within half the app port's connections.</summary>
    public int EventStreams(int maxAppConnections) => Math.Max(1, Math.Min(MaxEventStreams, maxAppConnections / 2));
}
