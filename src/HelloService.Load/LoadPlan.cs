using System.Globalization;

namespace HelloService.Load;

/// <summary>A checked, complete description of one run: what the command line asked for.</summary>
/// <param name="Target">The one URL every request goes to, query included (Hold: the first job's <c>POST</c>, see <see cref="HoldJobs"/>).</param>
/// <param name="Profile">Millicores over time (Demand, Hold with <c>--hold</c>), requests per second (Rate), or null (Concurrency, Hold of memory alone).</param>
/// <param name="CpuMsPerRequest">The profile's units per request: <c>--request-cpu-ms</c> for Demand, 1 for Rate.</param>
internal sealed record LoadPlan(
    Uri Target,
    LoadMode Mode,
    DemandProfile? Profile,
    double CpuMsPerRequest,
    int Concurrency,
    TimeSpan Duration,
    int MaxInFlight,
    TimeSpan Timeout,
    TimeSpan ConnectionLifetime,
    string? ApiKey,
    bool Json)
{
    /// <summary>The highest request rate any run may ask for: beyond it one generator process is not the right tool.</summary>
    public const double MaxRequestsPerSecond = 10_000;

    /// <summary>The HPA whose decisions the generator shows (<c>--hpa-target</c>, <c>--hpa-min</c>, <c>--hpa-max</c>).</summary>
    public HpaSettings Hpa { get; init; } = new();

    /// <summary>The p99 a scale-out must bring back (<c>--latency-goal</c>).</summary>
    public TimeSpan LatencyGoal { get; init; } = AutoscalerOptions.DefaultLatencyGoal;

    /// <summary>What makes the run exit 3 (<c>--threshold</c>).</summary>
    public IReadOnlyList<LoadThreshold> Thresholds { get; init; } = [];

    /// <summary>Hold: the jobs to start, in order (CPU first, then memory).</summary>
    public IReadOnlyList<HoldJobSpec> HoldJobs { get; init; } = [];

    public string Describe() => Mode switch
    {
        LoadMode.Demand => string.Create(CultureInfo.InvariantCulture,
            $"open loop, {Profile!.Describe()}, {CpuMsPerRequest:0} ms CPU per request (peak {Profile.PeakMillicores / CpuMsPerRequest:0.#} requests/s)"),
        LoadMode.Hold => string.Join(" and ", HoldJobs.Select(job => job.Describe(Duration))),
        LoadMode.Rate => string.Create(CultureInfo.InvariantCulture,
            $"open loop, {Profile!.PeakMillicores:0.##} requests/s for {Quantities.FormatDuration(Duration)}"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"closed loop, {Concurrency} in flight for {Quantities.FormatDuration(Duration)}"),
    };
}
