using Prometheus;

namespace HelloService.Metrics;

/// <summary>The service's own Prometheus metrics (process and HTTP metrics come from prometheus-net).</summary>
internal static class HelloMetrics
{
    // Must run before the first metric is created. The EventCounter adapter would export some
    // two hundred series that cost CPU on every scrape, and the System.Runtime meter duplicates
    // prometheus-net's process metrics under names (`..._count` gauges) that promtool rejects.
    private static readonly bool DefaultsConfigured = ConfigureDefaultMetrics();

    private static IDisposable? _meterAdapter;

    private static readonly Counter Computations = Prometheus.Metrics.CreateCounter(
        "helloservice_ackermann_computations_total",
        "Ackermann computations that ended, by outcome (completed, or cancelled part-way by a client abort, deadline or shutdown).",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Counter ComputationsStarted = Prometheus.Metrics.CreateCounter(
        "helloservice_ackermann_computations_started_total",
        "Ackermann computations a worker began; each ends as completed or cancelled.");

    public static readonly Counter.Child ComputationsCompleted = Computations.WithLabels("completed");

    public static readonly Counter.Child ComputationsCancelled = Computations.WithLabels("cancelled");

    public static readonly Counter Calls = Prometheus.Metrics.CreateCounter(
        "helloservice_ackermann_calls_total",
        "Calls of the recursive Ackermann definition performed by completed computations.");

    public static readonly Histogram ComputationDuration = Prometheus.Metrics.CreateHistogram(
        "helloservice_ackermann_computation_duration_seconds",
        "Wall time of one completed Ackermann computation on its worker thread.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 4, 12) });

    public static readonly Gauge WorkersBusy = Prometheus.Metrics.CreateGauge(
        "helloservice_workers_busy",
        "Worker threads burning CPU right now.");

    public static readonly Gauge WorkersMax = Prometheus.Metrics.CreateGauge(
        "helloservice_workers_max",
        "The budget of busy worker threads (HelloWorld__MaxBusyWorkers).");

    private static readonly Counter Rejected = Prometheus.Metrics.CreateCounter(
        "helloservice_requests_rejected_total",
        "Requests to /hello-world answered without a greeting, by reason.",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter.Child RejectedInvalid = Rejected.WithLabels("invalid");

    public static readonly Counter.Child RejectedOverloaded = Rejected.WithLabels("overloaded");

    public static readonly Counter.Child RejectedShuttingDown = Rejected.WithLabels("shutting_down");

    public static readonly Counter.Child RejectedDeadline = Rejected.WithLabels("deadline");

    public static readonly Counter.Child RejectedUnauthorized = Rejected.WithLabels("unauthorized");

    public static readonly Counter CpuSeconds = Prometheus.Metrics.CreateCounter(
        "helloservice_cpu_seconds_total",
        "CPU time used by worker threads (thread CPU clocks), added as each computation ends: its rate is the achieved demand in cores.");

    public static readonly Counter CpuTargetSeconds = Prometheus.Metrics.CreateCounter(
        "helloservice_cpu_target_seconds_total",
        "CPU time asked for by admitted cpuMs requests: its rate is the demand asked for, in cores.");

    public static readonly Counter Greetings = Prometheus.Metrics.CreateCounter(
        "helloservice_greetings_total",
        "Successful /hello-world greetings (the last id handed out).");

    /// <summary>True once the default metric set is configured; forces the static initialiser.</summary>
    public static bool IsConfigured => DefaultsConfigured;

    private static bool ConfigureDefaultMetrics()
    {
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressEventCounters = true,
            SuppressDebugMetrics = true,
            SuppressMeters = true,
        });
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            // Kestrel's connection meters stay. Per-request meters go: hosting's request duration
            // duplicates UseHttpMetrics, and recording either costs CPU on every request.
            InstrumentFilterPredicate = instrument => instrument.Meter.Name is not ("System.Runtime" or "Microsoft.AspNetCore.Hosting" or "Microsoft.AspNetCore.Routing" or "Microsoft.AspNetCore.Diagnostics"),
        });
        return _meterAdapter is not null;
    }
}
