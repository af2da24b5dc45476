namespace HelloService.Ackermann;

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
