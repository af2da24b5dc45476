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
        UseTempFolderOutsideTheBinaries();
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return BenchmarkOutcome.ExitCode(summaries, args);
    }

    /// <summary>
    /// BenchmarkDotNet refuses to run an assembly that lies under the temp folder (it takes it
    /// for an xUnit shadow copy) and says so only after every benchmark has run. A checkout
    /// under /tmp is exactly that case: point the temp folder (TMPDIR, read by
    /// <see cref="Path.GetTempPath"/> here and inherited by the benchmark processes) at a
    /// folder beside the binaries instead, which does not contain them.
    /// </summary>
    private static void UseTempFolderOutsideTheBinaries()
    {
        var binaries = Path.GetFullPath(AppContext.BaseDirectory);
        if (!binaries.StartsWith(Path.GetFullPath(Path.GetTempPath()), StringComparison.Ordinal))
        {
            return;
        }

        var temp = Path.Combine(binaries, "bdn-tmp");
        Directory.CreateDirectory(temp);
        Environment.SetEnvironmentVariable("TMPDIR", temp);
        Console.Error.WriteLine($"The benchmarks live under the temp folder; using {temp} as the temp folder instead.");
    }
}
