using HelloService.Ackermann;
using HelloService.HelloWorld;
using HelloService.Workers;

namespace HelloService.Tests.Ackermann;

public class AckermannKernelTests
{
    /// <summary>The plain recursive definition, counting its calls: the reference.</summary>
    private static int Reference(int n, int m, ref long calls)
    {
        calls++;
        if (n == 0)
        {
            return m + 1;
        }

        return m == 0 ? Reference(n - 1, 1, ref calls) : Reference(n - 1, Reference(n, m - 1, ref calls), ref calls);
    }

    public static TheoryData<int, int> SmallArguments()
    {
        var data = new TheoryData<int, int>();
        for (var n = 0; n <= 3; n++)
        {
            for (var m = 0; m <= 6; m++)
            {
                data.Add(n, m);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SmallArguments))]
    public void KernelValueAndClosedFormsAgreeWithTheRecursiveDefinition(int n, int m)
    {
        long calls = 0;
        var expected = Reference(n, m, ref calls);

        Assert.Equal(expected, AckermannKernel.Burn(n, m));
        Assert.Equal(expected, Compute(n, m));
        Assert.Equal(expected, AckermannKernel.Value(n, m));
        Assert.Equal(calls, AckermannKernel.Calls(n, m));
    }

    [Theory]
    [InlineData(7, 1021)]
    [InlineData(8, 2045)]
    [InlineData(9, 4093)]
    public void ThreeMIsTwoToTheMPlusThreeMinusThree(int m, int expected)
    {
        Assert.Equal(expected, Compute(3, m));
        Assert.Equal((1 << (m + 3)) - 3, expected);
    }

    [Fact]
    public void CallsOfTheClassicRequestMatchTheKnownCount()
    {
        Assert.Equal(178_875_096L, AckermannKernel.Calls(3, 11));
        Assert.Equal(16_381L, AckermannKernel.Value(3, 11));
    }

    [Fact]
    public void StoppedComputationReturnsFalseWithoutThrowing()
    {
        using var stop = new BurnStop();
        stop.Request(StopReason.ClientGone);

        Assert.False(AckermannKernel.TryCompute(3, 8, stop, out _));
        Assert.False(AckermannKernel.TryCompute(2, 5, stop, out _));
        Assert.Equal(StopReason.ClientGone, stop.Reason);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(700)]
    [InlineData(1500)]
    [InlineData(2600)]
    public void CancellationStopsTheLargestComputationPromptlyWhereverItIs(int afterMilliseconds)
    {
        using var stop = new BurnStop();
        var completed = true;
        var worker = new Thread(() => completed = AckermannKernel.TryCompute(3, 14, stop, out _), (int)AckermannKernel.StackBytesFor(14));
        worker.Start();
        Thread.Sleep(afterMilliseconds);
        Assert.True(worker.IsAlive, "A(3, 14) finished before it could be cancelled");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        stop.Request(StopReason.Deadline);

        // A(3, 14) takes several seconds on one core, most of them climbing back out of A(2, x):
        // polls must happen on the way up as well as on the way down. The bound is generous;
        // the figure is reported.
        Assert.True(worker.Join(TimeSpan.FromSeconds(1)), "the kernel did not notice cancellation within 1 s");
        Assert.False(completed);
        Figures.Report($"A(3, 14) cancelled after {afterMilliseconds} ms stopped in {stopwatch.Elapsed.TotalMilliseconds:F2} ms");
    }

    [Fact]
    public void DeepestRecursionOfTheDefaultMaxMFitsTheWorkerStack()
    {
        var maxM = new HelloWorldOptions().MaxM;
        var depth = 1 << (maxM + 4);
        var result = 0;

        // A(1, x) recurses x frames deep at a cost of only 2x calls: the cheapest way to use all
        // the depth the bound promises, on a stack of exactly the size workers get.
        var worker = new Thread(() => result = AckermannKernel.Burn(1, depth - 2), (int)AckermannKernel.StackBytesFor(maxM));
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(depth, result);
    }

    [Fact]
    public void StackSafeMaxMIsWithinTheLimitAndAdmitsTheDefault()
    {
        var safe = HelloWorldOptionsValidator.MaxStackSafeM();

        Assert.InRange(safe, new HelloWorldOptions().MaxM, 20);
        Assert.True(AckermannKernel.StackBytesFor(safe) <= AckermannKernel.MaxStackBytes);
        Assert.True(AckermannKernel.StackBytesFor(safe + 1) > AckermannKernel.MaxStackBytes);
    }

    private static int Compute(int n, int m)
    {
        using var stop = new BurnStop();
        Assert.True(AckermannKernel.TryCompute(n, m, stop, out var value));
        return value;
    }
}
