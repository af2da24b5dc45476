namespace HelloService.Burn;

/// <summary>What a burn did, whether it ran to the end or not.</summary>
/// <param name="Computations">Computations that ran to the end.</param>
/// <param name="Value">A(n, m) as computed, or null when none completed.</param>
/// <param name="Workers">Worker threads that really ran (fewer than asked if the machine refused some).</param>
/// <param name="PeakConcurrency">Most computations running at the same moment.</param>
/// <param name="Elapsed">Wall time from admission to the last worker's end.</param>
/// <param name="CpuTime">CPU time of the worker threads together; null where it cannot be read.</param>
/// <param name="CallsPerComputation">Calls of the recursive definition in one full A(n, m); null when none completed.</param>
internal sealed record BurnReport(int Computations, int? Value, int Workers, int PeakConcurrency, TimeSpan Elapsed, TimeSpan? CpuTime, long? CallsPerComputation = null)
{
    public static readonly BurnReport Nothing = new(0, null, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
}
