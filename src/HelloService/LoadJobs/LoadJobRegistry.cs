using System.Diagnostics;

using HelloService.Memory;
using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>
/// The load jobs of this instance: starts them within the limits (at most <c>MaxJobs</c>
/// running, together within their <see cref="LoadJobShare"/> of the workers, each admitted by the
/// shared <see cref="WorkerBudget"/>), bounds their event streams, finds, changes and stops
/// them, samples their CPU time for the figures and metrics, and forgets finished ones after
/// <c>KeepFinishedFor</c> or beyond the newest <c>KeepFinished</c>, so memory stays bounded.
/// </summary>
internal sealed partial class LoadJobRegistry : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, LoadJob> _jobs = [];
    private readonly WorkerThreads _engine;
    private readonly WorkerBudget _budget;
    private readonly ILoadJobObserver _observer;
    private readonly Limits _limits;
    private readonly Timer _sampler;
    private readonly CancellationTokenRegistration _shutdown;
    private long _lastId;
    private int _starting;

    /// <summary>
    /// How many jobs may run, how long they may be, how many finished ones are kept for how long;
    /// how many workers the jobs may hold together, and how many event streams may be open.
    /// </summary>
    public sealed record Limits(
        int MaxJobs, int MaxSeconds, int KeepFinished, TimeSpan KeepFinishedFor, TimeSpan AdmissionWait,
        int MaxJobWorkers = int.MaxValue, int MaxStreamsPerJob = int.MaxValue, int MaxStreams = int.MaxValue)
    {
        public const int DefaultKeepFinished = 32;

        public static readonly TimeSpan DefaultKeepFinishedFor = TimeSpan.FromMinutes(15);
    }

    public LoadJobRegistry(WorkerThreads engine, ILoadJobObserver observer, Limits limits, CancellationToken shutdown, string? instance = null)
    {
        Instance = instance ?? Environment.MachineName;
        _engine = engine;
        _budget = engine.Budget;
        _observer = observer;
        _limits = limits;
        // A share as large as the budget is no cap of its own: the budget then says why a job does not fit.
        Share = limits.MaxJobWorkers < _budget.Capacity ? new LoadJobShare(limits.MaxJobWorkers) : LoadJobShare.Unbounded;
        Streams = new EventStreamSlots(limits.MaxStreamsPerJob, limits.MaxStreams);
        _sampler = new Timer(static s => ((LoadJobRegistry)s!).Sample(), this, SamplePeriod, SamplePeriod);
        _shutdown = shutdown.UnsafeRegister(static s => ((LoadJobRegistry)s!).StopAll(), this);
    }

    /// <summary>How often the jobs' CPU time is sampled for the achieved figures and the metrics.</summary>
    public static TimeSpan SamplePeriod => TimeSpan.FromMilliseconds(100);

    public WorkerBudget Budget => _budget;

    /// <summary>The workers load jobs may hold together, and how many they hold.</summary>
    public LoadJobShare Share { get; }

    /// <summary>The event streams open at once, per job and in total.</summary>
    public EventStreamSlots Streams { get; }

    /// <summary>The name this instance answers with (<c>Server__InstanceName</c>): each job's <c>host</c>.</summary>
    public string Instance { get; }

    /// <summary>
    /// Differs between instances and between runs of one, so that with the job id it names one job
    /// anywhere: ids alone repeat on every pod (each counts from 1). Not a secret, so not from
    /// RandomNumberGenerator, which would load OpenSSL into every process (3.7 MiB of RSS) for it.
    /// </summary>
    private string Incarnation { get; } = Random.Shared.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The job's entity tag: a client's <c>If-Match</c> with it reaches this job and no other.</summary>
    public string ETagOf(LoadJob job) => $"\"{Incarnation}-{job.Id}\"";

    public Limits Settings => _limits;

    /// <summary>Event streams being written right now.</summary>
    public int OpenStreams => Streams.Open;

    /// <summary>Largest target a job may have: one core per worker, within the processor count and the jobs' share of the budget.</summary>
    public int MaxMillicores => Math.Min(Environment.ProcessorCount, Math.Min(Share.Capacity, _budget.Capacity)) * LoadJob.MillicoresPerWorker;

    public bool IsShuttingDown { get; private set; }

    /// <summary>Starts a job of <paramref name="millicores"/> for <paramref name="seconds"/>, if the limits allow it now.</summary>
    public async Task<LoadJobStart> StartAsync(int millicores, int seconds, CancellationToken cancellationToken)
    {
        var workers = LoadJob.WorkersFor(millicores);
        lock (_gate)
        {
            if (RefusalLocked() is { } refused)
            {
                return refused;
            }

            if (!Share.TryTake(workers))
            {
                return new LoadJobStart.OverShare(workers, Share.Held, Share.Capacity);
            }

            _starting++;
        }

        try
        {
            WorkerBudget.Lease? lease;
            try
            {
                lease = await _budget.TryAcquireAsync(workers, _limits.AdmissionWait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Share.Give(workers);
                throw;
            }

            if (lease is null)
            {
                Share.Give(workers);
                return new LoadJobStart.NotAdmitted(workers, _budget.Capacity);
            }

            var job = LoadJob.Start(Interlocked.Increment(ref _lastId), millicores, seconds, lease, _engine, Share);
            if (job is null)
            {
                return new LoadJobStart.WorkersRefused();
            }

            return Register(job);
        }
        finally
        {
            lock (_gate)
            {
                _starting--;
            }
        }
    }

    private LoadJobStart.Started Register(LoadJob job)
    {
        lock (_gate)
        {
            _jobs[job.Id] = job;
            if (IsShuttingDown)
            {
                job.Stop(LoadJobState.Cancelled); // shutdown came while it was being admitted
            }
        }

        return new LoadJobStart.Started(job);
    }

    /// <summary>Why no job of any kind may start now (shutting down, or <c>MaxJobs</c> running), or null.</summary>
    private LoadJobStart? RefusalLocked()
    {
        if (IsShuttingDown)
        {
            return new LoadJobStart.ShuttingDown();
        }

        Prune();
        return _jobs.Values.Count(j => j.IsRunning) + _starting >= _limits.MaxJobs ? new LoadJobStart.TooManyJobs(_limits.MaxJobs) : null;
    }

    /// <summary>Worker threads the CPU jobs hold now (ones told to stop included, until they end).</summary>
    public int JobWorkers => All().Where(j => j.Kind == LoadJobKind.Cpu).Sum(j => j.LiveThreads);

    public LoadJob? Find(long id)
    {
        lock (_gate)
        {
            Prune();
            return _jobs.GetValueOrDefault(id);
        }
    }

    /// <summary>Every job still known, oldest first.</summary>
    public IReadOnlyList<LoadJob> All()
    {
        lock (_gate)
        {
            Prune();
            return [.. _jobs.Values.OrderBy(j => j.Id)];
        }
    }

    public LoadJobChange Change(LoadJob job, int millicores) => job.Change(millicores);

    /// <summary>Stops every running job (shutdown, at the end of the drain).</summary>
    public void StopAll()
    {
        List<LoadJob> running;
        lock (_gate)
        {
            IsShuttingDown = true;
            running = [.. _jobs.Values.Where(j => j.IsRunning)];
        }

        foreach (var job in running)
        {
            job.Stop(LoadJobState.Cancelled);
        }
    }

    public void Dispose()
    {
        _shutdown.Dispose();
        using (var callbacksDone = new ManualResetEvent(false))
        {
            if (_sampler.Dispose(callbacksDone))
            {
                callbacksDone.WaitOne(TimeSpan.FromSeconds(1));
            }
        }

        StopAll();
        _observer.Sampled(0, 0, 0);
        _observer.MemorySampled(0, 0);
    }

    private void Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var running = 0;
        var target = 0;
        var achieved = 0.0;
        var cpu = TimeSpan.Zero;
        long memoryTarget = 0;
        long memoryHeld = 0;
        List<LoadJob> jobs;
        lock (_gate)
        {
            Prune();
            jobs = [.. _jobs.Values];
        }

        foreach (var job in jobs)
        {
            job.Sample(now);
            cpu += job.TakeUnreportedCpu();
            if (job.IsRunning)
            {
                running++;
                target += job.TargetMillicores;
                memoryTarget += job.TargetMiB * MemorySnapshot.MiB;
                memoryHeld += job.HeldMiB * MemorySnapshot.MiB;
                achieved += job.AchievedMillicores(TimeSpan.FromSeconds(1));
            }
        }

        ReportCpu(cpu);
        _observer.Sampled(running, target, achieved);
        _observer.MemorySampled(memoryTarget, memoryHeld);
    }

    /// <summary>Load jobs' CPU counts as theirs and as all workers' (the engine's figure).</summary>
    private void ReportCpu(TimeSpan cpu)
    {
        if (cpu > TimeSpan.Zero)
        {
            _observer.LoadCpuUsed(cpu);
            _engine.Observer.CpuUsed(cpu);
        }
    }

    /// <summary>Forgets finished jobs beyond the newest <c>KeepFinished</c> or older than <c>KeepFinishedFor</c>.</summary>
    private void Prune()
    {
        var finished = _jobs.Values.Where(j => !j.IsRunning).OrderByDescending(j => j.EndedAt).ToList();
        var tooOld = DateTimeOffset.UtcNow - _limits.KeepFinishedFor;
        for (var i = 0; i < finished.Count; i++)
        {
            if (i >= _limits.KeepFinished || finished[i].EndedAt < tooOld)
            {
                var job = finished[i];
                _jobs.Remove(job.Id);

                // Its last CPU time still counts (its threads have ended or are about to).
                ReportCpu(job.TakeUnreportedCpu());
            }
        }
    }
}
