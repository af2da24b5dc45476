using BenchmarkDotNet.Running;

namespace HelloService.Benchmarks;

public static class Program
{
    /// <summary>
    /// Runs the benchmarks chosen by the command line (--filter, --job, ...). Exits non-zero when
    /// a benchmark failed or did not validate, so that the quick CI run catches a broken benchmark.
    /// </summary>
    public static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return BenchmarkOutcome.ExitCode(summaries, args);
    }
}
