namespace HelloService.Workers;

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
