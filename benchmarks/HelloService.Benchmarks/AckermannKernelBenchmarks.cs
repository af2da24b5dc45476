using BenchmarkDotNet.Attributes;

using HelloService.Ackermann;
using HelloService.Workers;

namespace HelloService.Benchmarks;

/// <summary>
/// One A(3, m) per operation with each kernel the engine can use, and the plain recursive
/// definition for comparison. The ns/call column divides the mean by the calls of the recursive
/// definition, <see cref="AckermannKernel.Calls"/>(3, m), which every kernel performs.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(NsPerCallConfig))]
public class AckermannKernelBenchmarks
{
    private readonly BurnStop _notStopped = new();

    [Params(6, 8, 10)]
    public int M { get; set; }

    [Benchmark(Baseline = true, Description = "Burn")]
    public int Burn() => AckermannKernel.Burn(3, M);

    [Benchmark(Description = "TryCompute (stoppable)")]
    public int Compute() => AckermannKernel.TryCompute(3, M, _notStopped, out var value) ? value : -1;

    [Benchmark(Description = "plain recursion")]
    public int PlainRecursion() => Plain(3, M);

    /// <summary>The textbook definition: both calls recursive.</summary>
    private static int Plain(int n, int m) =>
        n == 0 ? m + 1 : m == 0 ? Plain(n - 1, 1) : Plain(n - 1, Plain(n, m - 1));
}
