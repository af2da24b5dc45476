using System.Diagnostics;

using HelloService.Ackermann;
using HelloService.Burn;
using HelloService.Workers;

using Microsoft.Extensions.Logging.Abstractions;

namespace HelloService.Tests.Ackermann;

public class BurnSchedulerTests
{
    private static readonly StopSources NoStops = new(CancellationToken.None, CancellationToken.None, null);

    private static BurnScheduler Scheduler(int maxWorkers, IBurnObserver? observer = null, int nice = 10) =>
        new(new WorkerThreads(new WorkerBudget(maxWorkers, 16), observer ?? new CountingObserver(), new WorkerThreads.Settings(nice, AckermannKernel.StackBytesFor(14)),
            NullLogger<WorkerThreads>.Instance));

    /// <summary>A scheduler with a <see cref="CountingObserver"/> to read what it reported.</summary>
    private static (BurnScheduler Scheduler, CountingObserver Observer) Observed(int maxWorkers)
    {
        var observer = new CountingObserver();
        return (Scheduler(maxWorkers, observer), observer);
    }

    private static Task<BurnOutcome> Run(BurnScheduler scheduler, BurnJob job, StopSources? stops = null, double admissionWaitMs = 0) =>
        scheduler.RunAsync(job, stops ?? NoStops, TimeSpan.FromMilliseconds(admissionWaitMs));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ParallelismIsNeverExceeded(int parallelism)
    {
        var scheduler = Scheduler(8);
        var maxSeen = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(
            () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    maxSeen = Math.Max(maxSeen, scheduler.BusyWorkers);
                    Thread.SpinWait(100);
                }
            },
            TestContext.Current.CancellationToken);

        var outcome = await Run(scheduler, BurnJob.Computations(3, 7, 30, parallelism));
        await sampling.CancelAsync();
        await sampler;

        var report = Assert.IsType<BurnOutcome.Completed>(outcome).Report;
        Assert.Equal(30, report.Computations);
        Assert.Equal(1021, report.Value);
        Assert.InRange(report.PeakConcurrency, 1, parallelism);
        Assert.InRange(maxSeen, 1, parallelism);
        Assert.Equal(0, scheduler.BusyWorkers);
        Assert.Equal(0, scheduler.Budget.Reserved);
    }

    [Fact]
    public async Task EnoughWorkUsesEveryRequestedWorker()
    {
        var scheduler = Scheduler(8);

        // Each A(3, 9) takes milliseconds, so all four threads are running before the work runs out.
        var outcome = await Run(scheduler, BurnJob.Computations(3, 9, 24, 4));

        var report = Assert.IsType<BurnOutcome.Completed>(outcome).Report;
        Assert.Equal(4, report.Workers);
        Assert.Equal(4, report.PeakConcurrency);
    }

    [Fact]
    public async Task NoMoreThreadsThanComputations()
    {
        var (scheduler, observer) = Observed(8);
        var maxReserved = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(
            () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    maxReserved = Math.Max(maxReserved, scheduler.Budget.Reserved);
                    Thread.SpinWait(100);
                }
            },
            TestContext.Current.CancellationToken);

        var outcome = await Run(scheduler, BurnJob.Computations(3, 9, 2, 8));
        await sampling.CancelAsync();
        await sampler;

        // Threads started, not computations running: 8 threads for 2 computations would show here.
        Assert.Equal(2, observer.WorkersStarted);
        Assert.Equal(2, Assert.IsType<BurnOutcome.Completed>(outcome).Report.Workers);
        Assert.Equal(2, maxReserved);
    }

    [Fact]
    public async Task ZeroCountRunsNothingAndNeedsNoWorkers()
    {
        var (scheduler, observer) = Observed(1);
        using var hold = await scheduler.Budget.TryAcquireAsync(1, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var outcome = await Run(scheduler, BurnJob.Computations(3, 11, 0, 1));

        var report = Assert.IsType<BurnOutcome.Completed>(outcome).Report;
        Assert.Null(report.Value);
        Assert.Equal(0, report.Workers);
        Assert.Equal(0, observer.WorkersStarted);
    }

    [Fact]
    public async Task StopStopsEveryWorkerReturnsTheBudgetAndSaysWhy()
    {
        var (scheduler, observer) = Observed(4);
        using var client = new CancellationTokenSource();
        var run = Run(scheduler, BurnJob.Computations(3, 14, 8, 2), new StopSources(client.Token, CancellationToken.None, null));
        await WaitUntil(() => scheduler.BusyWorkers == 2 && observer.ComputationsStarted == 2); // busy comes a moment before the computation

        await client.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var stopped = Assert.IsType<BurnOutcome.Stopped>(outcome);
        Assert.Equal(StopReason.ClientGone, stopped.Reason);
        Assert.Equal(0, stopped.Report.Computations);
        Assert.Equal(2, observer.Cancelled);
        Assert.Equal(0, scheduler.BusyWorkers);
        Assert.Equal(0, scheduler.Budget.Reserved);
    }

    [Fact]
    public async Task DeadlineIsTheRecordedReasonWhenItFiresFirst()
    {
        var scheduler = Scheduler(2);
        using var client = new CancellationTokenSource();

        var outcome = await Run(scheduler, BurnJob.Computations(3, 14, 4, 1), new StopSources(client.Token, CancellationToken.None, TimeSpan.FromMilliseconds(100)));
        await client.CancelAsync();

        Assert.Equal(StopReason.Deadline, Assert.IsType<BurnOutcome.Stopped>(outcome).Reason);
    }

    [Fact]
    public async Task ShutdownThatAlreadyBegunStopsBeforeAnyWork()
    {
        var (scheduler, observer) = Observed(2);
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        var outcome = await Run(scheduler, BurnJob.Computations(3, 5, 0, 1), new StopSources(CancellationToken.None, shutdown.Token, null));

        Assert.Equal(StopReason.Shutdown, Assert.IsType<BurnOutcome.Stopped>(outcome).Reason);
        Assert.Equal(0, observer.WorkersStarted);
    }

    [Fact]
    public async Task StopWhileWaitingForWorkersSaysWhyAndLeavesTheQueue()
    {
        var scheduler = Scheduler(1);
        using var hold = await scheduler.Budget.TryAcquireAsync(1, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var outcome = await Run(scheduler, BurnJob.Computations(3, 5, 1, 1), new StopSources(CancellationToken.None, CancellationToken.None, TimeSpan.FromMilliseconds(50)), admissionWaitMs: 5000);

        Assert.Equal(StopReason.Deadline, Assert.IsType<BurnOutcome.Stopped>(outcome).Reason);
        Assert.Equal(1, scheduler.Budget.Reserved);
    }

    [Fact]
    public async Task JobThatCannotGetWorkersInTimeIsNotAdmitted()
    {
        var scheduler = Scheduler(2);
        using var hold = await scheduler.Budget.TryAcquireAsync(1, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var outcome = await Run(scheduler, BurnJob.Computations(3, 5, 4, 2), admissionWaitMs: 50);

        var refused = Assert.IsType<BurnOutcome.NotAdmitted>(outcome);
        Assert.Equal(2, refused.Workers);
        Assert.Equal(2, refused.Capacity);
    }

    [Fact]
    public async Task WorkerThreadsReportTheirCpuTime()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread CPU time is read on Linux only");
        var (scheduler, observer) = Observed(2);

        var outcome = await Run(scheduler, BurnJob.Computations(3, 9, 4, 1));

        var report = Assert.IsType<BurnOutcome.Completed>(outcome).Report;
        Assert.NotNull(report.CpuTime);
        Assert.True(report.CpuTime > TimeSpan.FromMilliseconds(1), $"4 x A(3, 9) cannot take {report.CpuTime}");
        Assert.True(report.CpuTime <= report.Elapsed + TimeSpan.FromMilliseconds(50), $"{report.CpuTime} > {report.Elapsed}");
        Assert.Equal(report.CpuTime.Value.TotalSeconds, observer.CpuSeconds, 6);
    }

    [Theory]
    [InlineData(20, 1)]
    [InlineData(50, 2)]
    [InlineData(3, 3)]
    public async Task CpuTimeJobBurnsItsTargetNeverLessAndWithinFiveMillisecondsOrFivePercent(int milliseconds, int parallelism)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread CPU time is read on Linux only");

        // The first CPU-time job compiles its code on its workers, and that time is theirs too.
        await Run(Scheduler(4), BurnJob.ForCpuTime(3, 6, TimeSpan.FromMilliseconds(20), parallelism));
        var (scheduler, observer) = Observed(4);
        var target = TimeSpan.FromMilliseconds(milliseconds);

        var outcome = await Run(scheduler, BurnJob.ForCpuTime(3, 6, target, parallelism));

        var report = Assert.IsType<BurnOutcome.Completed>(outcome).Report;
        var error = Math.Abs((report.CpuTime!.Value - target).TotalMilliseconds);
        // A bound that catches a wrong amount, not noise; the precision is measured in docs/performance.md.
        Assert.True(error <= Math.Max(5, milliseconds * 0.05), $"asked {milliseconds} ms of CPU, used {report.CpuTime.Value.TotalMilliseconds:F3} ms");
        Assert.True(report.CpuTime >= target, "a CPU-time job stops only once its target is reached");
        Assert.True(report.Computations > 0);
        Assert.Equal(parallelism, report.Workers);
        Assert.Equal(milliseconds / 1000.0, observer.CpuTargetSeconds, 6);
    }

    [Fact]
    public async Task WorkersRunAtTheConfiguredNiceValue()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "nice values are read from /proc on Linux only");
        var scheduler = Scheduler(2, nice: 13);
        using var client = new CancellationTokenSource();
        var run = Run(scheduler, BurnJob.Computations(3, 14, 2, 2), new StopSources(client.Token, CancellationToken.None, null));
        await WaitUntil(() => scheduler.BusyWorkers == 2);

        var workerNices = WorkerThreadNices();
        await client.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Field 19 of /proc/self/task/TID/stat is the nice value; other schedulers' idle workers have ended.
        Assert.Contains(13, workerNices);
        Assert.True(workerNices.Count(n => n == 13) >= 2, $"nice values of ackermann threads: {string.Join(", ", workerNices)}");
    }

    /// <summary>The nice values of the threads named <paramref name="name"/> of this process or of <paramref name="pid"/>.</summary>
    internal static List<int> WorkerThreadNices(int? pid = null, string name = "ackermann")
    {
        var nices = new List<int>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "self"}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != name)
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                nices.Add(int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture)); // field 19 overall
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return nices;
    }

    internal static async Task WaitUntil(Func<bool> condition, double seconds = 10)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(seconds), "condition not reached in time");
            await Task.Delay(5);
        }
    }

    /// <summary>Counts what one scheduler reports, so tests need no process-wide metrics.</summary>
    private sealed class CountingObserver : IBurnObserver
    {
        private int _workersStarted;
        private int _computationsStarted;
        private int _cancelled;
        private long _cpuTicks;
        private long _cpuTargetTicks;

        public int WorkersStarted => Volatile.Read(ref _workersStarted);

        public int Cancelled => Volatile.Read(ref _cancelled);

        public int ComputationsStarted => Volatile.Read(ref _computationsStarted);

        public double CpuSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTicks)).TotalSeconds;

        public double CpuTargetSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTargetTicks)).TotalSeconds;

        public void JobAdmitted(TimeSpan? cpuTarget) => Interlocked.Add(ref _cpuTargetTicks, cpuTarget?.Ticks ?? 0);

        public void WorkerStarted() => Interlocked.Increment(ref _workersStarted);

        public void WorkerStopped()
        {
        }

        public void ComputationStarted() => Interlocked.Increment(ref _computationsStarted);

        public void ComputationCompleted(long calls, TimeSpan duration)
        {
        }

        public void ComputationCancelled() => Interlocked.Increment(ref _cancelled);

        public void CpuUsed(TimeSpan cpuTime) => Interlocked.Add(ref _cpuTicks, cpuTime.Ticks);
    }
}
