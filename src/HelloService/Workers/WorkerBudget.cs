namespace HelloService.Workers;

/// <summary>
/// The global budget of busy worker threads. A request asks for all the workers it needs at
/// once (so two requests can never each hold half of what they need), waits in FIFO order for a
/// bounded time, and never joins a queue longer than <c>maxWaiting</c>.
/// </summary>
internal sealed class WorkerBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly int _maxWaiting;
    private int _available;

    public WorkerBudget(int capacity, int maxWaiting)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaiting);
        Capacity = capacity;
        _available = capacity;
        _maxWaiting = maxWaiting;
    }

    public int Capacity { get; }

    /// <summary>Workers currently reserved by admitted requests.</summary>
    public int Reserved
    {
        get
        {
            lock (_lock)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Reserves <paramref name="workers"/> workers if they are free now (and nobody waits before); null otherwise.</summary>
    public Lease? TryAcquire(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        lock (_lock)
        {
            if (_waiters.Count == 0 && _available >= workers)
            {
                _available -= workers;
                return new Lease(this, workers);
            }

            return null;
        }
    }

    /// <summary>
    /// Reserves <paramref name="workers"/> workers, waiting at most <paramref name="wait"/>.
    /// Returns null when they could not be had in time or the queue is full; throws
    /// <see cref="OperationCanceledException"/> if <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async ValueTask<Lease?> TryAcquireAsync(int workers, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workers, Capacity);

        if (TryAcquire(workers) is { } lease)
        {
            return lease;
        }

        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _available >= workers)
            {
                _available -= workers;
                return new Lease(this, workers);
            }

            if (_waiters.Count >= _maxWaiting || wait <= TimeSpan.Zero)
            {
                return null;
            }

            waiter = new Waiter(workers);
            waiter.Node = _waiters.AddLast(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            return new Lease(this, workers);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (waiter.Node is not null)
                {
                    // Still queued: leave the queue; others behind may now fit.
                    _waiters.Remove(waiter.Node);
                    waiter.Node = null;
                    GrantWaitersLocked();
                }
                else
                {
                    // Granted in the same instant as the timeout: give the workers back.
                    _available += workers;
                    GrantWaitersLocked();
                }
            }

            if (e is TimeoutException)
            {
                return null;
            }

            throw;
        }
    }

    private void Release(int workers)
    {
        lock (_lock)
        {
            _available += workers;
            GrantWaitersLocked();
        }
    }

    private void GrantWaitersLocked()
    {
        while (_waiters.First is { } first && first.Value.Workers <= _available)
        {
            _available -= first.Value.Workers;
            _waiters.RemoveFirst();
            first.Value.Node = null;
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(int workers)
    {
        public int Workers { get; } = workers;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    /// <summary>Workers held by one admitted job; each is given back once, early or at disposal.</summary>
    public sealed class Lease(WorkerBudget budget, int workers) : IDisposable
    {
        private int _held = workers;

        /// <summary>Workers this lease still holds.</summary>
        public int Workers => Volatile.Read(ref _held);

        /// <summary>Gives back up to <paramref name="unused"/> workers the job will not use after all.</summary>
        public void Release(int unused)
        {
            var held = Volatile.Read(ref _held);
            while (unused > 0 && held > 0)
            {
                var give = Math.Min(unused, held);
                var seen = Interlocked.CompareExchange(ref _held, held - give, held);
                if (seen == held)
                {
                    budget.Release(give);
                    return;
                }

                held = seen;
            }
        }

        public void Dispose() => Release(int.MaxValue);
    }
}
