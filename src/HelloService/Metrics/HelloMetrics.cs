using System.Diagnostics.Metrics;

using HelloService.LoadJobs;
using HelloService.Workers;

using Prometheus;

namespace HelloService.Metrics;

/// <summary>
/// The service's Prometheus metrics in a registry of this host's own: what the engine and the load
/// jobs report (as their observer), the rejections, the .NET process metrics and Kestrel's meters.
/// Several hosts in one process (the in-process tests) therefore never count into each other.
/// </summary>
internal sealed class HelloMetrics : IBurnObserver, ILoadJobObserver, IDisposable
{
    private readonly IDisposable _meterAdapter;
    private readonly Counter.Child _computationsCompleted;
    private readonly Counter.Child _computationsCancelled;
    private readonly Counter _computationsStarted;
    private readonly Counter _calls;
    private readonly Histogram _computationDuration;
    private readonly Gauge _workersBusy;
    private readonly Counter _cpuSeconds;
    private readonly Counter _cpuTargetSeconds;
    private readonly Gauge _loadJobsRunning;
    private readonly Gauge _loadTargetMillicores;
    private readonly Gauge _loadMemoryTarget;
    private readonly Gauge _loadMemoryHeld;
    private readonly Gauge _loadAchievedMillicores;
    private readonly Counter _loadCpuSeconds;

    /// <param name="meters">The host's meter factory: only meters it created (Kestrel's, the memory
    /// pool's) are exported, so several hosts in one process keep their connection figures apart.
    /// Null (benchmarks) exports the meters of the whole process.</param>
    public HelloMetrics(IMeterFactory? meters = null)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);

        // Kestrel's connection meters stay. The System.Runtime meter duplicates the process metrics
        // under names (`..._count` gauges) that promtool rejects; per-request meters cost CPU on
        // every request, and hosting's request duration duplicates the HTTP middleware's.
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Factory, // Registry alone still creates the series in the default registry
            InstrumentFilterPredicate = instrument => (meters is null || ReferenceEquals(instrument.Meter.Scope, meters))
                && instrument.Meter.Name is not ("System.Runtime" or "Microsoft.AspNetCore.Hosting" or "Microsoft.AspNetCore.Routing" or "Microsoft.AspNetCore.Diagnostics"),
        });

        var computations = Factory.CreateCounter("helloservice_ackermann_computations_total",
            "Ackermann computations that ended, by outcome (completed, or cancelled part-way by a client abort, deadline or shutdown).", ["outcome"]);
        _computationsCompleted = computations.WithLabels("completed");
        _computationsCancelled = computations.WithLabels("cancelled");
        _computationsStarted = Factory.CreateCounter("helloservice_ackermann_computations_started_total", "Ackermann computations a worker began; each ends as completed or cancelled.");
        _calls = Factory.CreateCounter("helloservice_ackermann_calls_total", "Calls of the recursive Ackermann definition performed by completed computations.");
        _computationDuration = Factory.CreateHistogram("helloservice_ackermann_computation_duration_seconds", "Wall time of one completed Ackermann computation on its worker thread.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 4, 12) });
        _workersBusy = Factory.CreateGauge("helloservice_workers_busy", "Worker threads burning CPU right now.");
        WorkersMax = Factory.CreateGauge("helloservice_workers_max", "The budget of busy worker threads (HelloWorld__MaxBusyWorkers).");

        var rejected = Factory.CreateCounter("helloservice_requests_rejected_total",
            "Requests to /hello-world answered without a greeting, and /load calls refused with 401 or 503, by reason.", ["reason"]);
        RejectedInvalid = rejected.WithLabels("invalid");
        RejectedOverloaded = rejected.WithLabels("overloaded");
        RejectedShuttingDown = rejected.WithLabels("shutting_down");
        RejectedDeadline = rejected.WithLabels("deadline");
        RejectedUnauthorized = rejected.WithLabels("unauthorized");

        _cpuSeconds = Factory.CreateCounter("helloservice_cpu_seconds_total",
            "CPU time used by worker threads (thread CPU clocks), added as each computation ends: its rate is the achieved demand in cores.");
        _cpuTargetSeconds = Factory.CreateCounter("helloservice_cpu_target_seconds_total", "CPU time asked for by admitted cpuMs requests: its rate is the demand asked for, in cores.");
        Greetings = Factory.CreateCounter("helloservice_greetings_total", "Successful /hello-world greetings (the last id handed out).");

        _loadJobsRunning = Factory.CreateGauge("helloservice_load_jobs_running", "Load jobs (/load/cpu) running on this instance.");
        _loadTargetMillicores = Factory.CreateGauge("helloservice_load_target_millicores", "Sum of the target millicores of the running load jobs.");
        _loadAchievedMillicores = Factory.CreateGauge("helloservice_load_achieved_millicores",
            "Sum of the millicores the running load jobs achieved over the last second (their workers' thread CPU clocks).");
        _loadCpuSeconds = Factory.CreateCounter("helloservice_load_cpu_seconds_total",
            "CPU time used by load job workers (thread CPU clocks): its rate is the load jobs' achieved demand in cores.");
        _loadMemoryTarget = Factory.CreateGauge("helloservice_load_memory_target_bytes", "Sum of the targets of the running memory jobs (/load/memory), once their ramps are over.");
        _loadMemoryHeld = Factory.CreateGauge("helloservice_load_memory_held_bytes", "Memory the running memory jobs hold now (written, resident pages).");
    }

    /// <summary>What <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates further metrics in <see cref="Registry"/> (the HTTP middleware's).</summary>
    public IMetricFactory Factory { get; }

    public Gauge WorkersMax { get; }

    public Counter.Child RejectedInvalid { get; }

    public Counter.Child RejectedOverloaded { get; }

    public Counter.Child RejectedShuttingDown { get; }

    public Counter.Child RejectedDeadline { get; }

    public Counter.Child RejectedUnauthorized { get; }

    public Counter Greetings { get; }

    public void JobAdmitted(TimeSpan? cpuTarget)
    {
        if (cpuTarget is { } target)
        {
            _cpuTargetSeconds.Inc(target.TotalSeconds);
        }
    }

    public void WorkerStarted() => _workersBusy.Inc();

    public void WorkerStopped() => _workersBusy.Dec();

    public void ComputationStarted() => _computationsStarted.Inc();

    public void ComputationCompleted(long calls, TimeSpan duration)
    {
        _computationsCompleted.Inc();
        _calls.Inc(calls);
        _computationDuration.Observe(duration.TotalSeconds);
    }

    public void ComputationCancelled() => _computationsCancelled.Inc();

    public void CpuUsed(TimeSpan cpuTime) => _cpuSeconds.Inc(cpuTime.TotalSeconds);

    public void Sampled(int running, int targetMillicores, double achievedMillicores)
    {
        _loadJobsRunning.Set(running);
        _loadTargetMillicores.Set(targetMillicores);
        _loadAchievedMillicores.Set(achievedMillicores);
    }

    public void LoadCpuUsed(TimeSpan cpuTime) => _loadCpuSeconds.Inc(cpuTime.TotalSeconds);

    public void MemorySampled(long targetBytes, long heldBytes)
    {
        _loadMemoryTarget.Set(targetBytes);
        _loadMemoryHeld.Set(heldBytes);
    }

    public void Dispose() => _meterAdapter.Dispose();
}
