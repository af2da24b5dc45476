namespace HelloService.Ackermann;

/// <summary>
/// What one request asks to burn: <see cref="Count"/> whole computations of A(n, m), or, when
/// <see cref="CpuTime"/> is set, computations of A(n, m) (small slices) until the worker threads
/// together have used exactly that much CPU time. Either way on at most
/// <see cref="Parallelism"/> threads.
/// </summary>
internal readonly record struct BurnJob(int N, int M, int Parallelism, int Count, TimeSpan? CpuTime = null)
{
    /// <summary>A job of whole computations.</summary>
    public static BurnJob Computations(int n, int m, int count, int parallelism) => new(n, m, parallelism, count);

    /// <summary>A job measured in CPU time, split evenly over its workers.</summary>
    public static BurnJob ForCpuTime(int n, int m, TimeSpan cpuTime, int parallelism) => new(n, m, parallelism, 0, cpuTime);

    /// <summary>
    /// Threads the job runs on: never more than its parallelism and never idle ones (no more
    /// than its computations; for a CPU-time job, no worker with less than a millisecond).
    /// </summary>
    public int Workers => CpuTime is { } cpu
        ? (int)Math.Min(Parallelism, Math.Max(1L, (long)cpu.TotalMilliseconds))
        : Math.Min(Count, Parallelism);
}

/// <summary>What a burn did, whether it ran to the end or not.</summary>
/// <param name="Computations">Computations that ran to the end.</param>
/// <param name="Value">A(n, m) as computed, or null when none completed.</param>
/// <param name="Workers">Worker threads that really ran (fewer than asked if the machine refused some).</param>
/// <param name="PeakConcurrency">Most computations running at the same moment.</param>
/// <param name="Elapsed">Wall time from admission to the last worker's end.</param>
/// <param name="CpuTime">CPU time of the worker threads together; null where it cannot be read.</param>
internal sealed record BurnReport(int Computations, int? Value, int Workers, int PeakConcurrency, TimeSpan Elapsed, TimeSpan? CpuTime)
{
    public static readonly BurnReport Nothing = new(0, null, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>How a burn ended: one case per outcome, so callers map it in one switch.</summary>
internal abstract record BurnOutcome
{
    private BurnOutcome()
    {
    }

    /// <summary>All the work was done.</summary>
    public sealed record Completed(BurnReport Report) : BurnOutcome;

    /// <summary>The workers could not be had within the admission wait, or the queue was full.</summary>
    public sealed record NotAdmitted(int Workers, int Capacity) : BurnOutcome;

    /// <summary>The machine refused every worker thread; nothing was computed.</summary>
    public sealed record WorkersRefused : BurnOutcome;

    /// <summary>Stopped part-way (or before it began) for <paramref name="Reason"/>.</summary>
    public sealed record Stopped(StopReason Reason, BurnReport Report) : BurnOutcome;
}
