namespace HelloService.HelloWorld;

/// <summary>The greeting, in the original Spring service's shape plus what the burn did.</summary>
internal sealed record HelloWorldResponse(long Id, string Content, string Host, AckermannReport Ackermann);

/// <summary>What one request's Ackermann work was and how long it took.</summary>
/// <param name="Value">A(n, m), or null when count was 0 and nothing was computed.</param>
/// <param name="Calls">Calls of the plain recursive definition for one computation.</param>
/// <param name="ElapsedMs">Wall time from the first worker's start to the last worker's end.</param>
/// <param name="CpuMs">CPU time of all worker threads together (Linux; null elsewhere).</param>
internal sealed record AckermannReport(
    int N,
    int M,
    int? Value,
    int Count,
    int Parallelism,
    long Calls,
    double ElapsedMs,
    double? CpuMs);
