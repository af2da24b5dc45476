using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>Jain's fairness index and the warning for a pod starved of answers.</summary>
public class FairnessTests
{
    [Fact]
    public void JainIndexOfKnownShares()
    {
        // (sum x)^2 / (n sum x^2): equal shares 1; one of n takes all 1/n; (1,2,3) 36 / (3 x 14) = 6/7.
        Assert.Equal(1.0, Fairness.JainIndex([5, 5, 5, 5]));
        Assert.Equal(0.25, Fairness.JainIndex([12, 0, 0, 0]));
        Assert.Equal(6.0 / 7, Fairness.JainIndex([1, 2, 3])!.Value, 12);
        Assert.Equal(1.0, Fairness.JainIndex([7]));
        Assert.Null(Fairness.JainIndex([]));
        Assert.Null(Fairness.JainIndex([0, 0]));
    }

    /// <summary>Second after second (a fake clock: each call is one second), pod c gets 2 of 30 answers: under half of a third.</summary>
    [Fact]
    public void APodUnderHalfItsFairShareForTenSecondsIsWarnedOnce()
    {
        var watch = new FairnessWatch();
        string[] pods = ["a", "b", "c"];
        var starved = new Dictionary<string, long> { ["a"] = 14, ["b"] = 14, ["c"] = 2 };

        var warnings = Enumerable.Range(1, 15).Select(_ => watch.Observe(starved, pods)).ToList();

        Assert.All(warnings.Take(9), w => Assert.Empty(w));
        Assert.Equal([new UnfairShare("c", 10, 6.7, 33.3)], warnings[9]);
        Assert.All(warnings.Skip(10), w => Assert.Empty(w)); // once per streak
    }

    [Fact]
    public void AFairSecondEndsTheStreakAndASecondWithTooFewAnswersTellsNothing()
    {
        var watch = new FairnessWatch();
        string[] pods = ["a", "b"];
        var starved = new Dictionary<string, long> { ["a"] = 19, ["b"] = 1 };

        for (var i = 0; i < 9; i++)
        {
            Assert.Empty(watch.Observe(starved, pods));
        }

        Assert.Empty(watch.Observe(new Dictionary<string, long> { ["a"] = 2 }, pods)); // 2 answers for 2 pods: skipped
        Assert.NotEmpty(watch.Observe(starved, pods)); // the tenth second in a row that counted
        var fresh = new FairnessWatch();
        for (var i = 0; i < 9; i++)
        {
            fresh.Observe(starved, pods);
        }

        Assert.Empty(fresh.Observe(new Dictionary<string, long> { ["a"] = 10, ["b"] = 10 }, pods));
        Assert.Empty(fresh.Observe(starved, pods)); // the streak starts again
    }
}
