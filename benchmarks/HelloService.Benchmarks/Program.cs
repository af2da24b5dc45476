using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.NativeAot;

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
        var config = args.Contains(JitAndNativeAot) ? JitAgainstNativeAot() : null;
        args = [.. args.Where(a => a != JitAndNativeAot)];
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return BenchmarkOutcome.ExitCode(summaries, args);
    }

    /// <summary>Runs each benchmark on the JIT and as a Native AOT binary, side by side (short runs).</summary>
    private const string JitAndNativeAot = "--jit-and-nativeaot";

    /// <summary>
    /// BenchmarkDotNet's own <c>--runtimes nativeaot10.0</c> restores its compiler from a .NET
    /// daily-build feed, which machines without the internet cannot reach; these jobs take the
    /// SDK's compiler from nuget.org as the service's publish does. The kernel's speed depends on
    /// where it lands (docs/performance.md, "Where the kernel's code sits"), and the benchmark
    /// binary gets no re-link as the service's does, so there are two Native AOT jobs: the
    /// service's order file (the kernel first in the managed code) and the same with a one-byte
    /// method before it, which moves the kernel 32 bytes on. One of the two has it on a 64-byte
    /// boundary, the other 32 bytes off.
    /// </summary>
    private static ManualConfig JitAgainstNativeAot()
    {
        var orderFile = Path.Combine(HelloService.Testing.Repository.Root, "src", "HelloService", "ilc-order.txt");
        var paddedOrderFile = Path.Combine(Path.GetTempPath(), "helloservice-ilc-order-padded.txt");
        File.WriteAllLines(paddedOrderFile, ["HelloService_HelloService_Ackermann_AckermannKernel__LayoutPad", .. File.ReadAllLines(orderFile)]);
        var nativeAot = NativeAotToolchain.CreateBuilder()
            .UseNuGet(string.Empty, "https://api.nuget.org/v3/index.json")
            .TargetFrameworkMoniker("net10.0")
            .DisplayName("NativeAOT 10.0")
            .ToToolchain();
        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithId("JIT").AsBaseline())
            .AddJob(Job.ShortRun.WithId("NativeAOT").WithToolchain(nativeAot)
                .WithArguments([new MsBuildArgument($"/p:IlcOrderFile={orderFile}")]))
            .AddJob(Job.ShortRun.WithId("NativeAOT+32").WithToolchain(nativeAot)
                .WithArguments([new MsBuildArgument($"/p:IlcOrderFile={paddedOrderFile}")]));
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
