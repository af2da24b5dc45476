namespace HelloService.HelloWorld;

/// <summary>
/// Defaults and limits of <c>/hello-world</c>, bound to section <c>HelloWorld</c>
/// (environment: <c>HelloWorld__Count=35</c>). Validated at start-up.
/// </summary>
internal sealed class HelloWorldOptions
{
    public const string SectionName = "HelloWorld";

    /// <summary>Default name in the greeting.</summary>
    public string Name { get; set; } = "Stranger";

    /// <summary>Default number of Ackermann computations per request (the original's 35).</summary>
    public int Count { get; set; } = 35;

    /// <summary>Default computations run at once; unset means the processor count.</summary>
    public int? Parallelism { get; set; }

    /// <summary>Default first argument of A(n, m).</summary>
    public int N { get; set; } = 3;

    /// <summary>Default second argument of A(n, m).</summary>
    public int M { get; set; } = 11;

    public int MaxCount { get; set; } = 1000;

    public int MaxParallelism { get; set; } = 64;

    /// <summary>Largest m accepted; every step of m is 4x the work and 2x the stack.</summary>
    public int MaxM { get; set; } = 14;

    /// <summary>Deadline of one request's computations.</summary>
    public int MaxRequestSeconds { get; set; } = 300;

    /// <summary>Budget of busy worker threads across all requests; unset means 4 x processor count.</summary>
    public int? MaxBusyWorkers { get; set; }

    /// <summary>How long a request waits for its workers before a 503.</summary>
    public int AdmissionWaitMilliseconds { get; set; } = 1000;

    /// <summary>Requests that may wait for workers at once; more are rejected at once with 503.</summary>
    public int MaxWaitingRequests { get; set; } = 64;

    /// <summary>Nice value of worker threads (0 to 19): probes and scrapes win the CPU over the burn.</summary>
    public int WorkerNice { get; set; } = 19;

    /// <summary>When set, <c>/hello-world</c> requires this value in header <c>X-Api-Key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The configured budget, else 4 x processor count (at most 1024 threads).</summary>
    public int EffectiveMaxBusyWorkers => MaxBusyWorkers ?? Math.Min(4 * Environment.ProcessorCount, HelloWorldOptionsValidator.MaxThreadsLimit);

    /// <summary>The default parallelism: the configured one, else one worker per processor within the limits.</summary>
    public int EffectiveParallelism =>
        Parallelism ?? Math.Max(1, Math.Min(Environment.ProcessorCount, Math.Min(MaxParallelism, EffectiveMaxBusyWorkers)));

    /// <summary>The largest parallelism a request may ask for and ever be admitted with.</summary>
    public int ParallelismLimit => Math.Min(MaxParallelism, EffectiveMaxBusyWorkers);
}
