using System.Diagnostics;

using HelloService.Ackermann;

using Microsoft.Extensions.Logging.Abstractions;

namespace HelloService.Tests.Ackermann;

public class BurnSchedulerTests
{
    private static BurnScheduler Scheduler(int maxWorkers) =>
        new(new WorkerBudget(maxWorkers, 16), workerNice: 10, AckermannKernel.StackBytesFor(14), NullLogger<BurnScheduler>.Instance);

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

        var result = await scheduler.RunAsync(new BurnJob(3, 7, 30, parallelism), TimeSpan.Zero, TestContext.Current.CancellationToken);
        await sampling.CancelAsync();
        await sampler;

        Assert.NotNull(result);
        Assert.True(result.IsComplete);
        Assert.Equal(30, result.Completed);
        Assert.Equal(1021, result.Value);
        Assert.InRange(result.PeakConcurrency, 1, parallelism);
        Assert.InRange(maxSeen, 0, parallelism);
        Assert.Equal(0, scheduler.BusyWorkers);
        Assert.Equal(0, scheduler.Budget.Reserved);
    }

    [Fact]
    public async Task EnoughWorkUsesEveryRequestedWorker()
    {
        var scheduler = Scheduler(8);

        // Each A(3, 9) takes milliseconds, so all four threads are running before the work runs out.
        var result = await scheduler.RunAsync(new BurnJob(3, 9, 24, 4), TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.Equal(4, result.PeakConcurrency);
    }

    [Fact]
    public async Task NoMoreThreadsThanComputations()
    {
        var scheduler = Scheduler(8);

        var result = await scheduler.RunAsync(new BurnJob(3, 9, 2, 8), TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.InRange(result.PeakConcurrency, 1, 2);
    }

    [Fact]
    public async Task ZeroCountRunsNothingAndNeedsNoWorkers()
    {
        var scheduler = Scheduler(1);
        using var hold = await scheduler.Budget.TryAcquireAsync(1, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var result = await scheduler.RunAsync(new BurnJob(3, 11, 0, 1), TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.True(result.IsComplete);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task CancellationStopsEveryWorkerAndReturnsTheBudget()
    {
        var scheduler = Scheduler(4);
        using var cts = new CancellationTokenSource();
        var run = scheduler.RunAsync(new BurnJob(3, 14, 8, 2), TimeSpan.Zero, cts.Token);
        await WaitUntil(() => scheduler.BusyWorkers == 2);

        var stopwatch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.False(result.IsComplete);
        Assert.Equal(2, result.Cancelled);
        Assert.Equal(0, result.Completed);
        Assert.Equal(0, scheduler.BusyWorkers);
        Assert.Equal(0, scheduler.Budget.Reserved);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task JobThatCannotGetWorkersInTimeIsNotAdmitted()
    {
        var scheduler = Scheduler(2);
        using var hold = await scheduler.Budget.TryAcquireAsync(1, TimeSpan.Zero, TestContext.Current.CancellationToken);

        var result = await scheduler.RunAsync(new BurnJob(3, 5, 4, 2), TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);

        Assert.Null(result);
    }

    [Fact]
    public async Task WorkerThreadsReportTheirCpuTime()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread CPU time is read on Linux only");
        var scheduler = Scheduler(2);

        var result = await scheduler.RunAsync(new BurnJob(3, 9, 4, 1), TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.NotNull(result?.CpuTime);
        Assert.True(result.CpuTime > TimeSpan.Zero);
        Assert.True(result.CpuTime <= result.Elapsed + TimeSpan.FromMilliseconds(50), $"{result.CpuTime} > {result.Elapsed}");
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
}
