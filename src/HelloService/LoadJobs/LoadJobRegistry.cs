using System.Diagnostics;

using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>
/// The load jobs of this instance: starts them within the limits (at most <c>MaxJobs</c>
/// running, workers admitted by the shared <see cref="WorkerBudget"/>), finds, changes and stops
/// them, samples their CPU time for the figures and metrics, and forgets finished ones after
/// <c>KeepFinishedFor</c> or beyond the newest <c>KeepFinished</c>, so memory stays bounded.
/// </summary>
internal sealed class LoadJobRegistry : IDisposable
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
    private int _openStreams;

    /// <summary>How many jobs may run, how long they may be, and how many finished ones are kept for how long.</summary>
    public sealed record Limits(int MaxJobs, int MaxSeconds, int KeepFinished, TimeSpan KeepFinishedFor, TimeSpan AdmissionWait)
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
        _sampler = new Timer(static s => ((LoadJobRegistry)s!).Sample(), this, SamplePeriod, SamplePeriod);
        _shutdown = shutdown.UnsafeRegister(static s => ((LoadJobRegistry)s!).StopAll(), this);
    }

    /// <summary>How often the jobs' CPU time is sampled for the achieved figures and the metrics.</summary>
    public static TimeSpan SamplePeriod => TimeSpan.FromMilliseconds(100);

    public WorkerBudget Budget => _budget;

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
    public int OpenStreams => Volatile.Read(ref _openStreams);

    /// <summary>Largest target a job may have: one core per worker, within the processor count and the budget.</summary>
    public int MaxMillicores => Math.Min(Environment.ProcessorCount, _budget.Capacity) * LoadJob.MillicoresPerWorker;

    public bool IsShuttingDown { get; private set; }

    /// <summary>Starts a job of <paramref name="millicores"/> for <paramref name="seconds"/>, if the limits allow it now.</summary>
    public async Task<LoadJobStart> StartAsync(int millicores, int seconds, CancellationToken cancellationToken)
    {
        var workers = LoadJob.WorkersFor(millicores);
        lock (_gate)
        {
            if (IsShuttingDown)
            {
                return new LoadJobStart.ShuttingDown();
            }

            Prune();
            if (_jobs.Values.Count(j => j.IsRunning) + _starting >= _limits.MaxJobs)
            {
                return new LoadJobStart.TooManyJobs(_limits.MaxJobs);
            }

            _starting++;
        }

        try
        {
            var lease = await _budget.TryAcquireAsync(workers, _limits.AdmissionWait, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                return new LoadJobStart.NotAdmitted(workers, _budget.Capacity);
            }

            var job = LoadJob.Start(Interlocked.Increment(ref _lastId), millicores, seconds, lease, _engine);
            if (job is null)
            {
                return new LoadJobStart.WorkersRefused();
            }

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
        finally
        {
            lock (_gate)
            {
                _starting--;
            }
        }
    }

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

    /// <summary>Counts an event stream while it is open (dispose the result when it ends).</summary>
    public StreamLease OpenStream()
    {
        Interlocked.Increment(ref _openStreams);
        return new StreamLease(this);
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
    }

    private void Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var running = 0;
        var target = 0;
        var achieved = 0.0;
        var cpu = TimeSpan.Zero;
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
                achieved += job.AchievedMillicores(TimeSpan.FromSeconds(1));
            }
        }

        ReportCpu(cpu);
        _observer.Sampled(running, target, achieved);
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

    /// <summary>An open event stream, counted until disposed.</summary>
    public readonly struct StreamLease(LoadJobRegistry registry) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref registry._openStreams);
    }
}

/// <summary>What a start request did, one case per outcome.</summary>
internal abstract record LoadJobStart
{
    private LoadJobStart()
    {
    }

    public sealed record Started(LoadJob Job) : LoadJobStart;

    /// <summary><paramref name="Max"/> jobs were already running.</summary>
    public sealed record TooManyJobs(int Max) : LoadJobStart;

    /// <summary>The budget could not hold the job's workers within the admission wait.</summary>
    public sealed record NotAdmitted(int Workers, int Capacity) : LoadJobStart;

    /// <summary>The machine refused every worker thread.</summary>
    public sealed record WorkersRefused : LoadJobStart;

    public sealed record ShuttingDown : LoadJobStart;
}
