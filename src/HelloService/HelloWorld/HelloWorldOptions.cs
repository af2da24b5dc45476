using System.ComponentModel.DataAnnotations;

using HelloService.Ackermann;
using HelloService.Workers;

namespace HelloService.HelloWorld;

/// <summary>
/// Defaults and limits of <c>/hello-world</c>, bound to section <c>HelloWorld</c>
/// (environment: <c>HelloWorld__Count=35</c>). Ranges are checked by the generated
/// <see cref="HelloWorldOptionsRanges"/>, the rules that tie settings together by
/// <see cref="HelloWorldOptionsValidator"/>; unset automatic values are filled in once by
/// <see cref="Resolve"/> before validation, so readers see plain numbers.
/// </summary>
internal sealed class HelloWorldOptions
{
    public const string SectionName = "HelloWorld";
    public const int MaxNameLength = 100;
    public const int MaxCountLimit = 1_000_000;
    public const int MaxThreadsLimit = 1024;
    public const int MaxCpuMsLimit = 3_600_000;

    /// <summary>m of the A(3, m) slices a <c>cpuMs</c> request burns when it names no n or m: about 0.1 ms each.</summary>
    public const int CpuSliceM = 6;

    /// <summary>Default name in the greeting.</summary>
    public string Name { get; set; } = "Stranger";

    /// <summary>Default number of Ackermann computations per request (the original's 35).</summary>
    [Range(0, MaxCountLimit)]
    public int Count { get; set; } = 35;

    /// <summary>Default computations run at once; unset means the processor count (within the limits).</summary>
    [Range(1, MaxThreadsLimit)]
    public int? Parallelism { get; set; }

    /// <summary>Default first argument of A(n, m).</summary>
    [Range(0, AckermannKernel.MaxN)]
    public int N { get; set; } = 3;

    /// <summary>Default second argument of A(n, m).</summary>
    [Range(0, int.MaxValue)]
    public int M { get; set; } = 11;

    [Range(0, MaxCountLimit)]
    public int MaxCount { get; set; } = 1000;

    [Range(1, MaxThreadsLimit)]
    public int MaxParallelism { get; set; } = 64;

    /// <summary>Largest m accepted; every step of m is 4x the work and 2x the stack.</summary>
    [Range(0, int.MaxValue)]
    public int MaxM { get; set; } = 14;

    /// <summary>Largest CPU time one <c>cpuMs</c> request may ask for.</summary>
    [Range(1, MaxCpuMsLimit)]
    public int MaxCpuMs { get; set; } = 60_000;

    /// <summary>Deadline of one request's computations.</summary>
    [Range(1, 86_400)]
    public int MaxRequestSeconds { get; set; } = 300;

    /// <summary>Budget of busy worker threads across all requests; unset means 4 x processor count (at most 1024).</summary>
    [Range(1, MaxThreadsLimit)]
    public int? MaxBusyWorkers { get; set; }

    /// <summary>How long a request waits for its workers before a 503.</summary>
    [Range(0, 60_000)]
    public int AdmissionWaitMilliseconds { get; set; } = 1000;

    /// <summary>The <c>Retry-After</c> of a 503 for want of workers: the admission wait, in whole seconds, at least 1.</summary>
    internal string RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(AdmissionWaitMilliseconds / 1000.0)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Requests that may wait for workers at once; more are rejected at once with 503.</summary>
    [Range(0, 100_000)]
    public int MaxWaitingRequests { get; set; } = 64;

    /// <summary>Nice value of worker threads (0 to 19): probes and scrapes win the CPU over the burn.</summary>
    [Range(0, 19)]
    public int WorkerNice { get; set; } = 19;

    /// <summary>Longest a <c>/load/cpu</c> job may run.</summary>
    [Range(1, 86_400)]
    public int MaxLoadSeconds { get; set; } = 3600;

    /// <summary><c>/load/cpu</c> jobs that may run at once.</summary>
    [Range(1, MaxThreadsLimit)]
    public int MaxLoadJobs { get; set; } = 8;

    /// <summary>When set, <c>/hello-world</c> requires this value in header <c>X-Api-Key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The worker budget, once resolved.</summary>
    public int WorkerBudget => MaxBusyWorkers ?? throw new InvalidOperationException("options not resolved");

    /// <summary>The default parallelism, once resolved.</summary>
    public int DefaultParallelism => Parallelism ?? throw new InvalidOperationException("options not resolved");

    /// <summary>The largest parallelism a request may ask for and ever be admitted with.</summary>
    public int ParallelismLimit => Math.Min(MaxParallelism, WorkerBudget);

    /// <summary>The worker budget when none is configured: 4 x processor count, at most 1024 threads.</summary>
    public static int AutomaticWorkerBudget => Math.Min(4 * Environment.ProcessorCount, MaxThreadsLimit);

    /// <summary>Fills in the automatic values from the processor count (post-configuration).</summary>
    public static void Resolve(HelloWorldOptions o)
    {
        o.MaxBusyWorkers ??= AutomaticWorkerBudget;
        o.Parallelism ??= Math.Max(1, Math.Min(Environment.ProcessorCount, Math.Min(o.MaxParallelism, o.MaxBusyWorkers.Value)));
    }
}
