using HelloService.Workers;

namespace HelloService.Tests.Ackermann;

public class WorkerBudgetTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    /// <summary>Workers from <paramref name="budget"/> if free at once, without waiting.</summary>
    private static ValueTask<WorkerBudget.Lease?> Now(WorkerBudget budget, int workers) =>
        budget.TryAcquireAsync(workers, TimeSpan.Zero, TestContext.Current.CancellationToken);

    [Fact]
    public async Task RequestThatFitsIsAdmittedAtOnceAndReleaseGivesWorkersBack()
    {
        var budget = new WorkerBudget(4, 8);

        using (var lease = await Now(budget, 3))
        {
            Assert.NotNull(lease);
            Assert.Equal(3, budget.Reserved);
        }

        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task RequestThatDoesNotFitTimesOutWithNullAndHoldsNothing()
    {
        var budget = new WorkerBudget(2, 8);
        using var held = await Now(budget, 2);

        var lease = await budget.TryAcquireAsync(1, TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);

        Assert.Null(lease);
        Assert.Equal(2, budget.Reserved);
    }

    [Fact]
    public async Task WaitersAreAdmittedInOrderWhenWorkersReturn()
    {
        var budget = new WorkerBudget(2, 8);
        var first = await Now(budget, 2);
        var big = budget.TryAcquireAsync(2, Long, TestContext.Current.CancellationToken).AsTask();
        var small = budget.TryAcquireAsync(1, Long, TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted);

        first!.Dispose();

        using var bigLease = await big;
        Assert.NotNull(bigLease);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(small.IsCompleted); // FIFO: the small one does not jump the queue
        bigLease.Dispose();
        using var smallLease = await small;
        Assert.NotNull(smallLease);
        Assert.Equal(1, budget.Reserved);
    }

    [Fact]
    public async Task FullQueueRejectsAtOnce()
    {
        var budget = new WorkerBudget(1, 1);
        using var held = await Now(budget, 1);
        var waiting = budget.TryAcquireAsync(1, Long, TestContext.Current.CancellationToken).AsTask();

        var started = DateTime.UtcNow;
        var rejected = await budget.TryAcquireAsync(1, Long, TestContext.Current.CancellationToken);

        Assert.Null(rejected);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.False(waiting.IsCompleted);
        held!.Dispose();
        using var admitted = await waiting;
        Assert.NotNull(admitted);
    }

    [Fact]
    public async Task CancelledWaiterLeavesTheQueueAndOthersProceed()
    {
        var budget = new WorkerBudget(1, 4);
        var held = await Now(budget, 1);
        using var cts = new CancellationTokenSource();
        var cancelled = budget.TryAcquireAsync(1, Long, cts.Token).AsTask();
        var next = budget.TryAcquireAsync(1, Long, TestContext.Current.CancellationToken).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held!.Dispose();

        using var lease = await next;
        Assert.NotNull(lease);
        Assert.Equal(1, budget.Reserved);
    }

    [Fact]
    public async Task DisposingALeaseTwiceReleasesOnce()
    {
        var budget = new WorkerBudget(3, 0);
        var a = await Now(budget, 2);
        using var b = await Now(budget, 1);

        a!.Dispose();
        a.Dispose();

        Assert.Equal(1, budget.Reserved);
    }
}
