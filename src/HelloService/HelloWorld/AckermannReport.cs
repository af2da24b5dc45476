namespace HelloService.HelloWorld;

/// <summary>What one request's Ackermann work was and how long it took.</summary>
/// <param name="Value">A(n, m), or null when nothing was computed (count 0).</param>
/// <param name="Count">Computations done (for a cpuMs request, the slices it took).</param>
/// <param name="Calls">Calls of the plain recursive definition for one computation; null when none ran.</param>
/// <param name="ElapsedMs">Wall time from admission to the last worker's end.</param>
/// <param name="CpuMs">CPU time of all worker threads together (Linux; null elsewhere).</param>
/// <param name="CpuMsTarget">The CPU time a cpuMs request asked for; null for a count request.</param>
/// <param name="Workers">Worker threads that ran (fewer than parallelism when there was less work, or the machine refused threads).</param>
internal sealed record AckermannReport(
    int N,
    int M,
    int? Value,
    int Count,
    int Parallelism,
    long? Calls,
    double ElapsedMs,
    double? CpuMs,
    double? CpuMsTarget,
    int Workers);
