using System.Diagnostics;

using HelloService.Ackermann;

namespace HelloService.LoadJobs;

/// <summary>
/// One held CPU load: <see cref="WorkersFor"/> dedicated threads, each burning small Ackermann
/// slices on its own <see cref="DutyCycle"/> so that together they use the target's millicores,
/// until the job's seconds are up or it is stopped. Its workers are leased from the same
/// <see cref="WorkerBudget"/> as requests' and given back one by one as their threads end.
/// </summary>
internal sealed class LoadJob
{
    public const int MillicoresPerWorker = 1000;

    /// <summary>The duty-cycle window: short, so a change or a pause shows within a tenth of a second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    /// <summary>Slices are A(3, m) with m at most this: about 0.1 ms each, so a window's quota is met closely.</summary>
    private const int SliceM = 6;

    private readonly Lock _gate = new();
    private readonly List<Worker> _active = [];
    private readonly List<WorkerBudget.Lease> _leases = [];
    private readonly TaskCompletionSource _threadsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _changing = new(1, 1);
    private readonly CpuHistory _history;
    private readonly Context _context;
    private readonly Timer _deadline;
    private volatile int _targetMillicores;
    private volatile int _activeWorkers;
    private volatile LoadJobState _state = LoadJobState.Running;
    private int _liveThreads;
    private long _cpuTicks;
    private long _reportedTicks;
    private long _endedTimestamp;

    /// <summary>How workers are made and whom they tell: nice value, the engine's observer, a logger.</summary>
    public sealed record Context(int WorkerNice, IBurnObserver BurnObserver, ILogger Logger);

    private LoadJob(long id, int millicores, int seconds, Context context)
    {
        Id = id;
        Seconds = seconds;
        StartedAt = DateTimeOffset.UtcNow;
        EndsAt = StartedAt.AddSeconds(seconds);
        StartTimestamp = Stopwatch.GetTimestamp();
        _targetMillicores = millicores;
        _context = context;
        _history = new CpuHistory(StartTimestamp);
        _deadline = new Timer(static s => ((LoadJob)s!).Stop(LoadJobState.Completed), this, Timeout.Infinite, Timeout.Infinite);
    }

    public long Id { get; }

    public int Seconds { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset EndsAt { get; }

    public DateTimeOffset? EndedAt { get; private set; }

    public long StartTimestamp { get; }

    public int TargetMillicores => _targetMillicores;

    public LoadJobState State => _state;

    public bool IsRunning => _state == LoadJobState.Running;

    /// <summary>Worker threads that are burning for this job (not counting ones told to stop).</summary>
    public int Workers => _activeWorkers;

    /// <summary>Worker threads of this job that have not ended yet, including ones told to stop.</summary>
    public int LiveThreads => Volatile.Read(ref _liveThreads);

    /// <summary>Budget workers this job holds now.</summary>
    public int LeasedWorkers
    {
        get
        {
            lock (_gate)
            {
                return _leases.Sum(l => l.Workers);
            }
        }
    }

    public TimeSpan CpuTime => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTicks));

    /// <summary>Completes when every worker thread of a stopped job has ended.</summary>
    public Task ThreadsEnded => _threadsEnded.Task;

    /// <summary>Worker threads a target needs: one per started 1000 millicores.</summary>
    public static int WorkersFor(int millicores) => (millicores + MillicoresPerWorker - 1) / MillicoresPerWorker;

    /// <summary>
    /// Starts a job on the workers of <paramref name="lease"/>; null (and the lease given back)
    /// when the machine refused every worker thread.
    /// </summary>
    public static LoadJob? Start(long id, int millicores, int seconds, WorkerBudget.Lease lease, Context context)
    {
        var job = new LoadJob(id, millicores, seconds, context);
        lock (job._gate)
        {
            job._leases.Add(lease);
        }

        // Armed first: a job whose workers all fail at once is stopped, and its timer disposed, by them.
        job._deadline.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        if (job.StartWorkers(lease.Workers) == 0)
        {
            job.Stop(LoadJobState.Cancelled);
            return null;
        }

        return job;
    }

    /// <summary>
    /// Changes the target at once. More workers must be admitted by the budget first (without
    /// waiting: the job keeps its old target when they are not free); fewer stop at once and
    /// give their budget back as their threads end.
    /// </summary>
    public async Task<LoadJobChange> ChangeAsync(int millicores, WorkerBudget budget, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var more = WorkersFor(millicores) - _activeWorkers;
            if (!IsRunning)
            {
                return new LoadJobChange.NotRunning(this);
            }

            if (more <= 0)
            {
                lock (_gate)
                {
                    _targetMillicores = millicores;
                    for (; more < 0 && _active.Count > 0; more++)
                    {
                        var surplus = _active[^1];
                        _active.RemoveAt(_active.Count - 1);
                        surplus.Stop.Request(StopReason.ClientGone);
                    }

                    _activeWorkers = _active.Count;
                }

                return new LoadJobChange.Changed(this);
            }

            var lease = await budget.TryAcquireAsync(more, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                return new LoadJobChange.NotAdmitted(this, more, budget.Capacity);
            }

            lock (_gate)
            {
                if (!IsRunning)
                {
                    lease.Dispose();
                    return new LoadJobChange.NotRunning(this);
                }

                _leases.Add(lease);
                _targetMillicores = millicores;
            }

            StartWorkers(more);
            return new LoadJobChange.Changed(this);
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>Stops a running job (its workers stop within one slice); false if it had already ended.</summary>
    public bool Stop(LoadJobState final)
    {
        lock (_gate)
        {
            if (_state != LoadJobState.Running)
            {
                return false;
            }

            _history.Add(Stopwatch.GetTimestamp(), Interlocked.Read(ref _cpuTicks));
            _state = final;
            EndedAt = DateTimeOffset.UtcNow;
            _endedTimestamp = Stopwatch.GetTimestamp();
            foreach (var worker in _active)
            {
                worker.Stop.Request(final == LoadJobState.Completed ? StopReason.Deadline : StopReason.ClientGone);
            }

            _active.Clear();
            _activeWorkers = 0;
            if (_liveThreads == 0)
            {
                _threadsEnded.TrySetResult();
            }
        }

        _deadline.Dispose();
        return true;
    }

    /// <summary>Records the CPU time so far (the registry's sampler calls this a few times a second).</summary>
    public void Sample(long timestamp)
    {
        if (IsRunning)
        {
            _history.Add(timestamp, Interlocked.Read(ref _cpuTicks));
        }
    }

    /// <summary>CPU time used since the previous call: what the metrics have not counted yet.</summary>
    public TimeSpan TakeUnreportedCpu()
    {
        var now = Interlocked.Read(ref _cpuTicks);
        return TimeSpan.FromTicks(now - Interlocked.Exchange(ref _reportedTicks, now));
    }

    /// <summary>
    /// Millicores achieved over the last <paramref name="span"/> (up to the end, for a job that
    /// has ended), from the workers' thread CPU clocks; over the time since start while the job
    /// is younger than that.
    /// </summary>
    public double AchievedMillicores(TimeSpan span)
    {
        var endTimestamp = IsRunning ? Stopwatch.GetTimestamp() : Interlocked.Read(ref _endedTimestamp);
        var cpu = Interlocked.Read(ref _cpuTicks);
        return _history.Millicores(endTimestamp, cpu, span);
    }

    /// <summary>Starts up to <paramref name="count"/> worker threads; the budget of any the machine refuses is given back at once.</summary>
    private int StartWorkers(int count)
    {
        var started = 0;
        for (; started < count; started++)
        {
            var worker = new Worker(this);
            lock (_gate)
            {
                _active.Add(worker);
                _activeWorkers = _active.Count;
                _liveThreads++;
            }

            try
            {
                new Thread(worker.Run, (int)AckermannKernel.StackBytesFor(SliceM)) { IsBackground = true, Name = "load" }.Start();
            }
            catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
            {
                _context.Logger.LogError(e, "Load job {Id} could start only {Started} of {Workers} worker threads", Id, started, count);
                ThreadEnded(worker);
                for (var i = started + 1; i < count; i++)
                {
                    ReleaseOneWorker();
                }

                break;
            }
        }

        return started;
    }

    private void ThreadEnded(Worker worker)
    {
        var orphaned = false;
        lock (_gate)
        {
            if (_active.Remove(worker))
            {
                _activeWorkers = _active.Count;
            }

            ReleaseOneWorker();
            _liveThreads--;
            if (_liveThreads == 0)
            {
                if (_state == LoadJobState.Running)
                {
                    orphaned = true;
                }
                else
                {
                    _threadsEnded.TrySetResult();
                }
            }
        }

        // Only now: a worker still in the active list may be asked to stop by a change or a stop.
        worker.Stop.Dispose();
        if (orphaned)
        {
            // Every worker failed: a job without workers would only pretend to run.
            Stop(LoadJobState.Cancelled);
        }
    }

    private void ReleaseOneWorker()
    {
        lock (_gate)
        {
            foreach (var lease in _leases)
            {
                if (lease.Workers > 0)
                {
                    lease.Release(1);
                    return;
                }
            }
        }
    }

    /// <summary>One worker thread: windows of <see cref="Window"/>, each burning its quota on this thread's CPU clock, then sleeping.</summary>
    private sealed class Worker(LoadJob job)
    {
        public BurnStop Stop { get; } = new();

        public void Run()
        {
            var context = job._context;
            NativeThread.TrySetCurrentThreadNice(context.WorkerNice);
            context.BurnObserver.WorkerStarted();
            try
            {
                Burn();
            }
            catch (Exception e)
            {
                // Nothing may escape a thread: an unhandled exception would end the process.
                context.Logger.LogError(e, "Load job {Id} worker failed", job.Id);
            }
            finally
            {
                context.BurnObserver.WorkerStopped();
                job.ThreadEnded(this);
            }
        }

        private void Burn()
        {
            var cycle = new DutyCycle(Window.Ticks);
            var slices = new CpuSlices(3, SliceM);
            var period = (long)(Window.TotalSeconds * Stopwatch.Frequency);
            var clock = WorkerClock.Start();
            var windowEnd = Stopwatch.GetTimestamp() + period;
            while (!Stop.IsRequested)
            {
                var owed = cycle.Begin(job._targetMillicores / (double)Math.Max(1, job._activeWorkers));
                long used = 0;
                while (used < owed && !Stop.IsRequested && Stopwatch.GetTimestamp() < windowEnd)
                {
                    var slice = slices.Next(owed - used);
                    AckermannKernel.TryCompute(3, slice, Stop, out _);
                    var lap = clock.Lap().Ticks;
                    used += lap;
                    Interlocked.Add(ref job._cpuTicks, lap);
                    slices.Measured(slice, lap);
                }

                cycle.End(used);
                var now = Stopwatch.GetTimestamp();
                if (windowEnd > now)
                {
                    Stop.Token.WaitHandle.WaitOne(Stopwatch.GetElapsedTime(now, windowEnd));
                    now = windowEnd;
                }

                // After a pause (a throttled or descheduled thread) start afresh, without catching up.
                windowEnd += period;
                if (windowEnd < now)
                {
                    windowEnd = now + period;
                }
            }

            Interlocked.Add(ref job._cpuTicks, clock.Lap().Ticks);
        }
    }
}

/// <summary>What a change of target did, one case per outcome.</summary>
internal abstract record LoadJobChange(LoadJob Job)
{
    public sealed record Changed(LoadJob Job) : LoadJobChange(Job);

    /// <summary>The job had already ended.</summary>
    public sealed record NotRunning(LoadJob Job) : LoadJobChange(Job);

    /// <summary>The budget could not hold <paramref name="Workers"/> more workers now; the target is unchanged.</summary>
    public sealed record NotAdmitted(LoadJob Job, int Workers, int Capacity) : LoadJobChange(Job);
}
