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

/// <summary>Why a burn stopped before its work was done.</summary>
internal enum StopReason
{
    /// <summary>Nobody waits for the answer any more (the client went away).</summary>
    ClientGone = 1,

    /// <summary>The job's deadline passed.</summary>
    Deadline,

    /// <summary>The instance is shutting down.</summary>
    Shutdown,

    /// <summary>A worker thread failed; the others were stopped with it.</summary>
    WorkerFailed,
}

/// <summary>
/// What may stop a burn, each source with the reason it stands for: the scheduler records the
/// reason of whichever fires first, so nobody has to guess afterwards which token it was.
/// </summary>
internal readonly record struct StopSources(CancellationToken ClientGone, CancellationToken Shutdown, TimeSpan? Deadline)
{
    /// <summary>The reason of a source that has already fired, if any (checked before any work).</summary>
    public StopReason? AlreadyFired =>
        Shutdown.IsCancellationRequested ? StopReason.Shutdown
        : ClientGone.IsCancellationRequested ? StopReason.ClientGone
        : null;
}

/// <summary>
/// The stop flag of one running burn. The kernel polls <see cref="IsRequested"/> (a volatile
/// read, cheaper than a token in the hot loop); the first <see cref="Request"/> wins and records
/// its reason, and also cancels <see cref="Token"/> for whoever awaits (the admission wait).
/// </summary>
internal sealed class BurnStop : IDisposable
{
    private readonly CancellationTokenSource _cancelled = new();
    private readonly CancellationTokenRegistration _clientGone;
    private readonly CancellationTokenRegistration _shutdown;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenRegistration _deadlinePassed;
    private volatile int _reason;

    /// <summary>A stop that only <see cref="Request"/> triggers.</summary>
    public BurnStop()
        : this(default)
    {
    }

    public BurnStop(StopSources sources)
    {
        _clientGone = sources.ClientGone.UnsafeRegister(static s => ((BurnStop)s!).Request(StopReason.ClientGone), this);
        _shutdown = sources.Shutdown.UnsafeRegister(static s => ((BurnStop)s!).Request(StopReason.Shutdown), this);
        if (sources.Deadline is { } deadline)
        {
            _deadline = new CancellationTokenSource(deadline);
            _deadlinePassed = _deadline.Token.UnsafeRegister(static s => ((BurnStop)s!).Request(StopReason.Deadline), this);
        }
    }

    public bool IsRequested => _reason != 0;

    /// <summary>The reason of the first stop request, or null while none came.</summary>
    public StopReason? Reason => _reason == 0 ? null : (StopReason)_reason;

    /// <summary>Cancelled together with the first stop request.</summary>
    public CancellationToken Token => _cancelled.Token;

    public void Request(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, 0) == 0)
        {
            _cancelled.Cancel();
        }
    }

    /// <summary>Unregisters from the sources (waiting for a callback in progress), then frees the timer.</summary>
    public void Dispose()
    {
        _clientGone.Dispose();
        _shutdown.Dispose();
        _deadlinePassed.Dispose();
        _deadline?.Dispose();
        _cancelled.Dispose();
    }
}

/// <summary>
/// What the engine reports as it works, for whoever exports it (the Metrics feature). Called on
/// worker threads: implementations must be thread-safe and cheap.
/// </summary>
internal interface IBurnObserver
{
    /// <summary>A job was admitted; <paramref name="cpuTarget"/> is its CPU-time target, if it has one.</summary>
    void JobAdmitted(TimeSpan? cpuTarget);

    void WorkerStarted();

    void WorkerStopped();

    void ComputationStarted();

    /// <summary>A computation ran to the end after <paramref name="calls"/> calls of the recursive definition.</summary>
    void ComputationCompleted(long calls, TimeSpan duration);

    void ComputationCancelled();

    /// <summary>Worker threads used <paramref name="cpuTime"/> more CPU time (reported as it accrues).</summary>
    void CpuUsed(TimeSpan cpuTime);
}
