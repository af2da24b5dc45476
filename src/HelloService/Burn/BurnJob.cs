namespace HelloService.Burn;

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
