using BenchmarkDotNet.Attributes;

using HelloService.Ackermann;
using HelloService.Burn;
using HelloService.Metrics;
using HelloService.Workers;

using Microsoft.Extensions.Logging.Abstractions;

namespace HelloService.Benchmarks;

/// <summary>
/// Count computations of A(3, M) on P workers, four ways: the engine (BurnScheduler with a
/// WorkerBudget, dedicated threads with big stacks), Parallel.For, Task.Run on the pool, and
/// plain threads. Each does the engine's per-computation work (stoppable kernel, CPU clock,
/// metrics) and returns the number of completed computations.
/// </summary>
[MemoryDiagnoser]
public class BurnStrategyBenchmarks
{
    private const int N = 3;
    private const int M = 8;
    private const int Count = 16;

    private BurnScheduler _scheduler = null!;

    [ParamsSource(nameof(Parallelisms))]
    public int P { get; set; }

    public static IEnumerable<int> Parallelisms() => Enumerable.Range(1, Environment.ProcessorCount);

    private static readonly StopSources NoStops = new(CancellationToken.None, CancellationToken.None, null);

    // Every strategy does the engine's per-computation work (stoppable kernel, thread CPU clock,
    // metrics), so the comparison is of the scheduling alone.
    private static readonly HelloMetrics Observer = new();

    [GlobalSetup]
    public void Setup() => _scheduler = new BurnScheduler(new WorkerThreads(
        new WorkerBudget(Environment.ProcessorCount, maxWaiting: 0),
        Observer,
        new WorkerThreads.Settings(WorkerNice: 0, AckermannKernel.StackBytesFor(14)),
        NullLogger<WorkerThreads>.Instance));

    [Benchmark(Baseline = true, Description = "BurnScheduler")]
    public async Task<int> Engine()
    {
        var outcome = await _scheduler.RunAsync(BurnJob.Computations(N, M, Count, P), NoStops, TimeSpan.Zero);
        return outcome is BurnOutcome.Completed done ? done.Report.Computations : throw new InvalidOperationException($"job ended as {outcome}");
    }

    [Benchmark(Description = "Parallel.For")]
    public int ParallelFor()
    {
        var completed = 0;
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = P }, _ =>
        {
            if (Compute())
            {
                Interlocked.Increment(ref completed);
            }
        });
        return completed;
    }

    [Benchmark(Description = "Task.Run x P")]
    public async Task<int> TaskRun()
    {
        var work = new SharedWork();
        var tasks = new Task[P];
        for (var i = 0; i < P; i++)
        {
            tasks[i] = Task.Run(work.Drain);
        }

        await Task.WhenAll(tasks);
        return work.Completed;
    }

    [Benchmark(Description = "threads x P")]
    public int Threads()
    {
        var work = new SharedWork();
        var threads = new Thread[P];
        for (var i = 0; i < P; i++)
        {
            threads[i] = new Thread(work.Drain);
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return work.Completed;
    }

    /// <summary>Count computations taken from a shared counter, as the engine's workers do.</summary>
    private sealed class SharedWork
    {
        private int _next;
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);

        public void Drain()
        {
            while (Interlocked.Increment(ref _next) <= Count)
            {
                if (Compute())
                {
                    Interlocked.Increment(ref _completed);
                }
            }
        }
    }

    /// <summary>One computation with the engine's per-computation work around the kernel.</summary>
    private static bool Compute()
    {
        using var stop = new BurnStop();
        var cpuBefore = NativeThread.CurrentThreadCpuTime();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Observer.ComputationStarted();
        var completed = AckermannKernel.TryCompute(N, M, stop, out _);
        if (NativeThread.CurrentThreadCpuTime() - cpuBefore is { } cpu)
        {
            Observer.CpuUsed(cpu);
        }

        Observer.ComputationCompleted(AckermannKernel.Calls(N, M), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return completed;
    }
}
