using HelloService.LoadJobs;

namespace HelloService.Tests.LoadJobs;

public class DutyCycleTests
{
    private static readonly long Period = TimeSpan.FromMilliseconds(100).Ticks;

    [Theory]
    [InlineData(50, 5)]
    [InlineData(600, 60)]
    [InlineData(1000, 100)]
    [InlineData(1800, 100)] // one worker can use at most its window
    public void AWindowOwesTheShareOfItsLength(double millicores, int owedMs)
    {
        var cycle = new DutyCycle(Period);

        Assert.Equal(TimeSpan.FromMilliseconds(owedMs).Ticks, cycle.Begin(millicores));
    }

    [Fact]
    public void AnOvershootIsRepaidInTheNextWindowNotSpreadOverTheRun()
    {
        var cycle = new DutyCycle(Period);
        var quota = cycle.Begin(250);
        cycle.End(quota + TimeSpan.FromMilliseconds(3).Ticks);

        Assert.Equal(quota - TimeSpan.FromMilliseconds(3).Ticks, cycle.Begin(250));
        cycle.End(quota - TimeSpan.FromMilliseconds(3).Ticks);
        Assert.Equal(quota, cycle.Begin(250));
    }

    [Fact]
    public void AfterAPauseTheCatchUpIsBoundedByOneWindow()
    {
        var cycle = new DutyCycle(Period);
        var quota = cycle.Begin(600);

        // Paused for the whole window (throttled, stopped): nothing used. Then ten more windows missed.
        cycle.End(0);
        for (var i = 0; i < 10; i++)
        {
            cycle.Begin(600);
            cycle.End(0);
        }

        // An average-since-start duty cycle would now owe 6.6 windows' worth; this owes two at most.
        Assert.Equal(2 * quota, cycle.Begin(600));
        cycle.End(2 * quota);
        Assert.Equal(quota, cycle.Begin(600));
    }

    [Fact]
    public void ALoweredTargetDropsTheDebtOfTheHigherOne()
    {
        var cycle = new DutyCycle(Period);
        cycle.Begin(1000);
        cycle.End(0);

        var owed = cycle.Begin(100);
        cycle.End(owed);

        Assert.True(owed <= 2 * TimeSpan.FromMilliseconds(10).Ticks, $"owed {owed} ticks after lowering the target");
        Assert.Equal(TimeSpan.FromMilliseconds(10).Ticks, cycle.Begin(100));
    }
}
