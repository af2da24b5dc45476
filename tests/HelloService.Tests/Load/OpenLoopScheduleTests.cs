using HelloService.Load;

namespace HelloService.Tests.Load;

public class OpenLoopScheduleTests
{
    /// <summary>Runs a whole schedule through the driver on a fake clock; returns the clock time of every send.</summary>
    private static List<TimeSpan> SendTimes(DemandProfile profile, double cpuMsPerRequest)
    {
        var clock = new FakeLoadClock();
        var sent = new List<TimeSpan>();
        var driver = new OpenLoopDriver(new OpenLoopSchedule(profile, cpuMsPerRequest), clock, new LoadStats(), maxInFlight: 256);

        driver.Run(_ =>
        {
            sent.Add(clock.Elapsed);
            return Task.CompletedTask;
        }, CancellationToken.None);

        return sent;
    }

    private static int[] PerSecond(List<TimeSpan> times, TimeSpan duration)
    {
        var counts = new int[(int)Math.Ceiling(duration.TotalSeconds)];
        foreach (var time in times)
        {
            counts[(int)Math.Floor(time.TotalSeconds)]++;
        }

        return counts;
    }

    [Fact]
    public void RampSendsTheRequestsEachSecondThatItsDemandPaysFor()
    {
        // 0 -> 2000m over 20 s at 100 ms per request: the rate grows from 0 to 20/s, so second k
        // is due (k + 0.5) requests' worth of CPU; 200 requests in all.
        var profile = new RampProfile(0, 2000, TimeSpan.FromSeconds(20));

        var times = SendTimes(profile, 100);
        var counts = PerSecond(times, profile.Duration);

        Assert.Equal(200, times.Count);
        for (var second = 0; second < counts.Length; second++)
        {
            Assert.InRange(counts[second], second + 0.5 - 1, second + 0.5 + 1);
        }

        Assert.Equal(times.Order().ToList(), times);
    }

    [Fact]
    public void ConstantDemandSendsOnAnEvenGrid()
    {
        // 3000m at 100 ms per request: 30 requests/s, one every 33.3 ms, the first half a gap in.
        var times = SendTimes(new ConstantProfile(3000, TimeSpan.FromSeconds(10)), 100);

        Assert.Equal(300, times.Count);
        for (var i = 0; i < times.Count; i++)
        {
            Assert.InRange(times[i].TotalMilliseconds, ((i + 0.5) * 1000 / 30) - 0.01, ((i + 0.5) * 1000 / 30) + 0.01);
        }
    }

    [Fact]
    public void StepsChangeTheRateAtEachStep()
    {
        var profile = new StepsProfile([new DemandStep(500, TimeSpan.FromSeconds(5)), new DemandStep(2000, TimeSpan.FromSeconds(5)), new DemandStep(0, TimeSpan.FromSeconds(2))]);

        var counts = PerSecond(SendTimes(profile, 100), profile.Duration);

        Assert.Equal([5, 5, 5, 5, 5, 20, 20, 20, 20, 20, 0, 0], counts);
    }

    [Fact]
    public void SineRisesAndFallsAroundItsMean()
    {
        // 1000m +- 500m every 20 s at 100 ms: 10 requests/s on average, 15/s at the crest (5 s),
        // 5/s in the trough (15 s); whole periods average out exactly.
        var profile = new SineProfile(1000, 500, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));

        var counts = PerSecond(SendTimes(profile, 100), profile.Duration);

        Assert.Equal(400, counts.Sum());
        Assert.InRange(counts[4] + counts[5], 28, 31);
        Assert.InRange(counts[14] + counts[15], 9, 12);
        Assert.InRange(counts[24] + counts[25], 28, 31);
    }

    [Fact]
    public void TheScheduleIgnoresHowLongAnswersTake()
    {
        // Sends that take a whole second each (time moves on inside the send) do not move the
        // due times: the driver sends the late ones at once and the lag is recorded.
        var clock = new FakeLoadClock();
        var stats = new LoadStats();
        var due = new List<TimeSpan>();
        var driver = new OpenLoopDriver(new OpenLoopSchedule(new ConstantProfile(1000, TimeSpan.FromSeconds(2)), 100), clock, stats, maxInFlight: 256);

        driver.Run(at =>
        {
            due.Add(at);
            clock.Elapsed += TimeSpan.FromSeconds(1);
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(20, due.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => TimeSpan.FromMilliseconds(50 + (100 * i))), due.Select(d => TimeSpan.FromMilliseconds(Math.Round(d.TotalMilliseconds))));
        Assert.Equal(20, stats.Total.Sent);
        Assert.True(stats.ScheduleLag.MaxMs > 15_000, $"lag {stats.ScheduleLag.MaxMs} ms");
    }

    [Fact]
    public void RequestsDueBeyondMaxInFlightAreDroppedNotQueued()
    {
        // 10 requests/s for 3 s against a service that never answers: 5 go out, 25 are dropped.
        var clock = new FakeLoadClock();
        var stats = new LoadStats();
        var never = new TaskCompletionSource();
        var driver = new OpenLoopDriver(new OpenLoopSchedule(new ConstantProfile(1000, TimeSpan.FromSeconds(3)), 100), clock, stats, maxInFlight: 5);

        driver.Run(_ => never.Task, CancellationToken.None);

        Assert.Equal(5, stats.Total.Sent);
        Assert.Equal(25, stats.Total.Dropped);
        Assert.Equal(5, driver.InFlight);
        never.SetResult();
        Assert.True(SpinWait.SpinUntil(() => driver.InFlight == 0, TimeSpan.FromSeconds(10)), "answered requests still counted in flight");
    }

    [Fact]
    public void AnsweredRequestsFreeTheirPlaceForTheNextOnes()
    {
        var clock = new FakeLoadClock();
        var stats = new LoadStats();
        var open = new Queue<TaskCompletionSource>();
        var driver = new OpenLoopDriver(new OpenLoopSchedule(new ConstantProfile(1000, TimeSpan.FromSeconds(3)), 100), clock, stats, maxInFlight: 2);

        driver.Run(_ =>
        {
            // Each answer arrives as the next request goes out: at most two open at any moment.
            if (open.Count == 1)
            {
                open.Dequeue().SetResult();
            }

            var request = new TaskCompletionSource();
            open.Enqueue(request);
            return request.Task;
        }, CancellationToken.None);

        Assert.Equal(30, stats.Total.Sent);
        Assert.Equal(0, stats.Total.Dropped);
    }

    [Fact]
    public void AStoppedScheduleSendsNothingMore()
    {
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var driver = new OpenLoopDriver(new OpenLoopSchedule(new ConstantProfile(1000, TimeSpan.FromSeconds(10)), 100), new FakeLoadClock(), new LoadStats(), 256);

        driver.Run(_ =>
        {
            if (++sent == 7)
            {
                stop.Cancel();
            }

            return Task.CompletedTask;
        }, stop.Token);

        Assert.Equal(7, sent);
    }
}
