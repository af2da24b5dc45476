using System.Text;

using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>The <c>pod</c> object of the answers, as the generator reads and keeps it.</summary>
public class PodViewTests
{
    private static readonly TimeSpan Ms10 = TimeSpan.FromMilliseconds(10);

    private static Answer Read(string json) => Answer.FromOkBody(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void AnswersReadThePodsCpuAndRequest()
    {
        var full = Read("""{"host":"pod-a","ackermann":{"cpuMs":10},"pod":{"cpuMillicores":412.5,"cpuRequestMillicores":700,"cpuUtilizationPercent":58.9,"workingSetMiB":40.1,"memoryRequestMiB":150,"memoryUtilizationPercent":26.7}}""");
        var unknownRequest = Read("""{"host":"pod-b","pod":{"cpuMillicores":300,"cpuRequestMillicores":null,"cpuUtilizationPercent":null}}""");
        var older = Read("""{"host":"pod-c","ackermann":{"cpuMs":10}}""");
        var nestedElsewhere = Read("""{"host":"pod-d","other":{"pod":{"cpuMillicores":1}},"ackermann":{"cpuMillicores":5}}""");

        Assert.Equal(new Answer(AnswerKind.Ok, "pod-a", 10, Pod: new PodReading(412.5, 700)), full);
        Assert.Equal(58.9, full.Pod!.Value.UtilizationPercent!.Value, 1);
        Assert.Equal(new PodReading(300, null), unknownRequest.Pod);
        Assert.Null(unknownRequest.Pod!.Value.UtilizationPercent);
        Assert.Null(older.Pod);
        Assert.Null(nestedElsewhere.Pod);
    }

    [Fact]
    public void EachSecondKeepsTheLatestReadingOfThePodsOfTheLastTenSeconds()
    {
        var stats = new LoadStats();
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 1, Pod: new PodReading(100, 700)), Ms10);
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "a", 1, Pod: new PodReading(560, 700)), Ms10);
        stats.RecordAnswer(new Answer(AnswerKind.Ok, "b", 1), Ms10);

        var first = stats.CloseSecond();
        for (var i = 0; i < 9; i++)
        {
            stats.RecordAnswer(new Answer(AnswerKind.Ok, "b", 1, Pod: new PodReading(70, 700)), Ms10);
            stats.CloseSecond();
        }

        var eleventh = stats.CloseSecond(); // a's only second has left the window

        Assert.True(first.PodViewSeen);
        Assert.Equal(new Dictionary<string, PodReading> { ["a"] = new(560, 700) }, first.PodReadings);
        Assert.Equal(new Dictionary<string, PodReading> { ["b"] = new(70, 700) }, eleventh.PodReadings);
    }
}
