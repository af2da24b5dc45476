using System.Text;

using HelloService.Load;

namespace HelloService.Tests.Load;

public class LoadStatsTests
{
    private static readonly TimeSpan Ms10 = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void HostsBeyondTheCapAreCountedAsOther()
    {
        var stats = new LoadStats();

        for (var i = 0; i < 100; i++)
        {
            stats.RecordAnswer(new Answer(AnswerKind.Ok, $"pod-{i}", 100), Ms10);
        }

        stats.RecordAnswer(new Answer(AnswerKind.Ok, "pod-3", 100), Ms10);
        Assert.Equal(HostTally.MaxHosts + 1, stats.Hosts.Count);
        Assert.Equal(100 - HostTally.MaxHosts, stats.Hosts[HostTally.Other].Requests);
        Assert.Equal(2, stats.Hosts["pod-3"].Requests);
        Assert.Equal(200, stats.Hosts["pod-3"].CpuMs);
        Assert.Equal(HostTally.MaxHosts + 1, stats.CloseSecond().Hosts.Count);
    }

    [Fact]
    public void HostNamesAreCutAndStrippedOfControlCharacters()
    {
        var stats = new LoadStats();

        stats.RecordAnswer(new Answer(AnswerKind.Ok, "evil\u001b[2Jpod\nname", 1), Ms10);
        stats.RecordAnswer(new Answer(AnswerKind.Ok, new string('x', 10_000), 1), Ms10);
        stats.RecordAnswer(new Answer(AnswerKind.Ok, null, 1), Ms10);

        Assert.Contains("evil?[2Jpod?name", stats.Hosts.Keys);
        Assert.Contains(new string('x', 63), stats.Hosts.Keys);
        Assert.Contains(HostTally.Unknown, stats.Hosts.Keys);
        Assert.All(stats.Hosts.Keys, k => Assert.True(k.Length <= 63 && !k.Any(char.IsControl), k));
    }

    [Fact]
    public void PodsOfTheLastTenSecondsForgetAPodThatStoppedAnswering()
    {
        var stats = new LoadStats();
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 1), Ms10);
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "b", 1), Ms10);
        var first = stats.CloseSecond();

        SecondStats last = first;
        for (var second = 2; second <= 10; second++)
        {
            stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 1), Ms10);
            last = stats.CloseSecond();
        }

        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 1 }, first.HostsLast10s);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 10, ["b"] = 1 }, last.HostsLast10s); // b answered 10 s ago
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 1), Ms10);
        var eleventh = stats.CloseSecond();
        Assert.Equal(new Dictionary<string, long> { ["a"] = 10 }, eleventh.HostsLast10s);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1 }, eleventh.Hosts);
    }

    [Fact]
    public void EachSecondCountsItsOwnStatusesDemandAndLatency()
    {
        var stats = new LoadStats();
        stats.RecordSent(TimeSpan.FromMilliseconds(1));
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 99.5), TimeSpan.FromMilliseconds(500));
        stats.RecordAnswer(new Answer(AnswerKind.Unavailable), TimeSpan.FromMilliseconds(2));
        stats.RecordAnswer(new Answer(AnswerKind.ClientError), TimeSpan.FromMilliseconds(2));
        stats.RecordAnswer(new Answer(AnswerKind.ServerError), TimeSpan.FromMilliseconds(2));
        stats.RecordAnswer(Answer.Failed, TimeSpan.FromSeconds(60));
        stats.RecordDropped();
        var first = stats.CloseSecond();
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 100), TimeSpan.FromMilliseconds(3));
        var second = stats.CloseSecond();

        Assert.Equal((1, 1, 1, 1, 1, 1, 1, 5), (first.Tally.Sent, first.Tally.Ok, first.Tally.Unavailable, first.Tally.ClientErrors,
            first.Tally.ServerErrors, first.Tally.TransportErrors, first.Tally.Dropped, first.Tally.Answered));
        Assert.Equal(99.5, first.Tally.CpuMs);
        Assert.Equal(500, first.LatencyMaxMs); // the transport error has no latency: it would only show the timeout
        Assert.Equal(1, second.Tally.Answered);
        Assert.InRange(second.LatencyP99Ms!.Value, 2.9, 3.1);
        Assert.Equal(2, stats.Total.Ok);
        Assert.Equal(199.5, stats.Total.CpuMs);
    }

    [Fact]
    public void HistogramPercentilesAreWithinTwoPercent()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 10_000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.InRange(histogram.PercentileMs(0.50)!.Value, 5000, 5000 * 1.02);
        Assert.InRange(histogram.PercentileMs(0.99)!.Value, 9900, 9900 * 1.02);
        Assert.Equal(10_000, histogram.MaxMs);
        Assert.Null(new LatencyHistogram().PercentileMs(0.5));
    }

    [Fact]
    public void HistogramKeepsSubMillisecondAndHourLongValues()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMicroseconds(37));
        histogram.Record(TimeSpan.FromHours(5));

        Assert.Equal(0.037, histogram.PercentileMs(0.5));
        Assert.Equal(TimeSpan.FromHours(5).TotalMilliseconds, histogram.PercentileMs(1.0));
    }

    [Fact]
    public void AnswersReadHostAndCpuMsFromTheServiceJson()
    {
        static Answer Read(string json) => Answer.FromOkBody(Encoding.UTF8.GetBytes(json));

        var answer = Read("""{"id":1,"content":"Hello","host":"pod-a","ackermann":{"n":3,"m":6,"host":"not-this","count":2,"cpuMs":101.5,"cpuMsTarget":100}}""");
        var noCpu = Read("""{"host":"pod-b","ackermann":{"cpuMs":null}}""");
        var nestedHostOnly = Read("""{"other":{"host":"inner"},"ackermann":{"inner":{"cpuMs":5}}}""");
        var broken = Read("""{"host":"pod-c","ackermann":{"cpuMs":12,""");
        var notJson = Read("Hello, world");

        Assert.Equal(new Answer(AnswerKind.Ok, "pod-a", 101.5), answer);
        Assert.Equal(new Answer(AnswerKind.Ok, "pod-b", 0), noCpu);
        Assert.Equal(new Answer(AnswerKind.Ok, null, 0), nestedHostOnly);
        Assert.Equal(new Answer(AnswerKind.Ok, "pod-c", 12), broken);
        Assert.Equal(new Answer(AnswerKind.Ok), notJson);
    }

    [Theory]
    [InlineData(200, nameof(AnswerKind.Ok))]
    [InlineData(503, nameof(AnswerKind.Unavailable))]
    [InlineData(400, nameof(AnswerKind.ClientError))]
    [InlineData(401, nameof(AnswerKind.ClientError))]
    [InlineData(500, nameof(AnswerKind.ServerError))]
    [InlineData(502, nameof(AnswerKind.ServerError))]
    [InlineData(302, nameof(AnswerKind.OtherStatus))]
    [InlineData(204, nameof(AnswerKind.OtherStatus))]
    public void StatusesFallIntoTheirClasses(int status, string kind) => Assert.Equal(kind, Answer.Classify(status).ToString());
}
