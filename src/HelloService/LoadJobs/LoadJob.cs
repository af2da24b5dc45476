using System.Diagnostics;

using HelloService.Ackermann;
using HelloService.Memory;
using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>
/// One held load until its seconds are up or it is stopped: CPU, as <see cref="WorkersFor"/>
/// worker threads of the engine, each burning small Ackermann slices on its own
/// <see cref="DutyCycle"/> so that together they use the target's millicores; or memory, as one
/// non-burning worker of the engine that holds the target's MiB (<see cref="MemoryHolder"/>).
/// </summary>
/// <remarks>
/// The job is the one owner of its lifetime: start, change, stop, the deadline and shutdown all
/// take <see cref="_gate"/>, and workers are started only under it and only while the job runs,
/// so no interleaving of them can leave a worker burning for a job that has ended.
/// </remarks>
internal sealed partial class LoadJob
{
    public const int MillicoresPerWorker = 1000;

    private readonly Lock _gate = new();
    private readonly List<LoadJobWorker> _active = [];
    private readonly TaskCompletionSource _threadsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CpuHistory _history;
    private readonly WorkerThreads _engine;
    private readonly LoadJobShare _share;
    private readonly Timer _deadline;
    private readonly MemoryHolder? _holder;
    private readonly MemoryAdmission? _memory;
    private volatile int _targetMillicores;
    private volatile int _activeWorkers;
    private volatile LoadJobState _state = LoadJobState.Running;
    private int _liveThreads;
    private long _cpuTicks;
    private long _reportedTicks;
    private long _endedTimestamp;

    private LoadJob(long id, int millicores, int seconds, WorkerThreads engine, LoadJobShare share, MemoryHolder? holder = null, MemoryAdmission? memory = null)
    {
        Id = id;
        _holder = holder;
        _memory = memory;
        Seconds = seconds;
        StartedAt = DateTimeOffset.UtcNow;
        EndsAt = StartedAt.AddSeconds(seconds);
        StartTimestamp = Stopwatch.GetTimestamp();
        _targetMillicores = millicores;
        _engine = engine;
        _share = share;
        _history = new CpuHistory(StartTimestamp);
        _deadline = new Timer(static s => ((LoadJob)s!).Stop(LoadJobState.Completed), this, Timeout.Infinite, Timeout.Infinite);
    }

    public long Id { get; }

    public LoadJobKind Kind => _holder is null ? LoadJobKind.Cpu : LoadJobKind.Memory;

    /// <summary>A memory job's target, once any ramp is over; 0 for a CPU job.</summary>
    public int TargetMiB => _holder?.TargetMiB ?? 0;

    /// <summary>MiB a memory job holds now; 0 for a CPU job.</summary>
    public int HeldMiB => _holder?.HeldMiB ?? 0;

    /// <summary>A memory job's ramp from 0 to its target; 0 when it has none.</summary>
    public int RampSeconds { get; private init; }

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

    public TimeSpan CpuTime => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTicks));

    /// <summary>Completes when every worker thread of a stopped job has ended.</summary>
    public Task ThreadsEnded => _threadsEnded.Task;

    /// <summary>The target each active worker burns now.</summary>
    internal double MillicoresPerActiveWorker => _targetMillicores / (double)Math.Max(1, _activeWorkers);

    /// <summary>The holder's stack: it only loops and calls mmap.</summary>
    private const int HolderStackBytes = 256 * 1024;

    /// <summary>Worker threads a target needs: one per started 1000 millicores.</summary>
    public static int WorkersFor(int millicores) => (millicores + MillicoresPerWorker - 1) / MillicoresPerWorker;

    /// <summary>
    /// Starts a job on the workers of <paramref name="lease"/>, already taken from
    /// <paramref name="share"/> too; null (and both given back) when the machine refused every
    /// worker thread.
    /// </summary>
    public static LoadJob? Start(long id, int millicores, int seconds, WorkerBudget.Lease lease, WorkerThreads engine, LoadJobShare? share = null)
    {
        var job = new LoadJob(id, millicores, seconds, engine, share ?? LoadJobShare.Unbounded);
        lock (job._gate)
        {
            if (job.StartWorkersLocked(lease, lease.Workers) == 0)
            {
                job.StopLocked(LoadJobState.Cancelled);
                return null;
            }

            job._deadline.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        }

        return job;
    }

    /// <summary>
    /// Changes the target at once. More workers must fit in the jobs' share and be free in the
    /// budget now (the job keeps its old target when they are not); fewer stop at once and give
    /// their budget back as their threads end.
    /// </summary>
    public LoadJobChange Change(int millicores)
    {
        lock (_gate)
        {
            if (!IsRunning)
            {
                return new LoadJobChange.NotRunning(this);
            }

            var more = WorkersFor(millicores) - _active.Count;
            if (more > 0)
            {
                if (!_share.TryTake(more))
                {
                    return new LoadJobChange.OverShare(this, more, _share.Held, _share.Capacity);
                }

                if (_engine.Budget.TryAcquire(more) is not { } lease)
                {
                    _share.Give(more);
                    return new LoadJobChange.NotAdmitted(this, more, _engine.Budget.Capacity);
                }

                _targetMillicores = millicores;
                StartWorkersLocked(lease, more);
            }

            for (; more < 0; more++)
            {
                var surplus = _active[^1];
                _active.RemoveAt(_active.Count - 1);
                surplus.Stop.Request(StopReason.ClientGone);
            }

            _activeWorkers = _active.Count;
            _targetMillicores = millicores;
            return new LoadJobChange.Changed(this);
        }
    }

    /// <summary>Stops a running job (its workers stop within one slice); false if it had already ended.</summary>
    public bool Stop(LoadJobState final)
    {
        lock (_gate)
        {
            return StopLocked(final);
        }
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

    /// <summary>CPU time a worker used, counted as it accrues.</summary>
    internal void AddCpu(long ticks) => Interlocked.Add(ref _cpuTicks, ticks);

    private bool StopLocked(LoadJobState final)
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
        _holder?.Stop.Request(final == LoadJobState.Completed ? StopReason.Deadline : StopReason.ClientGone);
        _memory?.Release(_holder!.TargetMiB);
        if (_liveThreads == 0)
        {
            _threadsEnded.TrySetResult();
        }

        _deadline.Dispose();
        return true;
    }

    /// <summary>
    /// Starts up to <paramref name="count"/> workers on <paramref name="lease"/>; the engine gives
    /// back the budget of any the machine refuses, and their share is given back here.
    /// </summary>
    private int StartWorkersLocked(WorkerBudget.Lease lease, int count)
    {
        var workers = new LoadJobWorker[count];
        for (var i = 0; i < count; i++)
        {
            workers[i] = new LoadJobWorker(this);
        }

        _liveThreads += count;
        var started = _engine.Start(lease, count, "load", AckermannKernel.StackBytesFor(LoadJobWorker.SliceM), i => new WorkerThreads.Body(
            workers[i].Burn, null, () => ThreadEnded(workers[i])));
        _liveThreads -= count - started;
        _share.Give(count - started);
        _active.AddRange(workers.Take(started));
        _activeWorkers = _active.Count;
        return started;
    }

    private void ThreadEnded(LoadJobWorker worker)
    {
        lock (_gate)
        {
            if (_active.Remove(worker))
            {
                _activeWorkers = _active.Count;
            }

            _liveThreads--;
            if (_liveThreads == 0)
            {
                // Every worker failed while the job runs: a job without workers would only pretend to run.
                StopLocked(LoadJobState.Cancelled);
                _threadsEnded.TrySetResult();
            }
        }

        _share.Give(1);
        worker.Stop.Dispose();
    }
}
