using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>
/// A run in which nothing succeeds (a closed port, a port that answers 404, a server that never
/// answers) says why once, does not call failures answers, and exits 1.
/// </summary>
public class LoadFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AClosedPortIsNamedOnceAndExitsOne()
    {
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Task.Run(() => LoadCommand.Run(["--url", url, "--demand", "200m", "--duration", "1s"], output, error), TestContext.Current.CancellationToken)
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var errors = error.ToString();
        Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Connection refused", errors, StringComparison.Ordinal);
        Assert.Contains("answered 0,", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortThatAnswers404ExitsOneWithTheProblemsDetail()
    {
        const string Body = """{"title":"Not Found","status":404,"detail":"/hello-world is served on the app port 9000, not here."}""";
        await using var server = HostileServer.Start((_, _, stream, cancellation) => HostileServer.WriteAsync(stream,
            HostileServer.Head("404 Not Found", "application/problem+json", Body.Length) + Body, cancellation));

        var (exitCode, lines, errors) = await Generator.RunAsync("--url", server.Url, "--demand", "400m", "--duration", "1s")
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Equal(1, lines[^1].GetProperty("exitCode").GetInt32());
        Assert.Equal(4, lines[^1].GetProperty("statuses").GetProperty("4xx").GetInt64());
        var error = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("404 Not Found", error, StringComparison.Ordinal);
        Assert.Contains("served on the app port 9000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestsASilentServerNeverAnswersFailWithTheCauseNamed()
    {
        await using var server = HostileServer.Start((_, _, _, cancellation) => Task.Delay(Timeout.Infinite, cancellation));

        // Each request times out after 3 s: a transport error, named as such.
        var (exitCode, lines, errors) = await Generator.RunAsync("--url", server.Url, "--rate", "10", "--duration", "1s", "--timeout", "3s")
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Equal(0, lines[^1].GetProperty("statuses").GetProperty("200").GetInt64());
        Assert.Contains("no answer", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInterruptedRunInWhichNothingAnsweredExitsOne()
    {
        await using var server = HostileServer.Start((_, _, _, cancellation) => Task.Delay(Timeout.Infinite, cancellation));
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        interrupt.CancelAfter(TimeSpan.FromSeconds(1.5));

        var (exitCode, lines, errors) = await Generator.RunUntilAsync(interrupt.Token, ["--url", server.Url, "--rate", "10", "--duration", "10s"])
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.True(lines[^1].GetProperty("unfinished").GetInt64() > 0, lines[^1].ToString());
        Assert.Contains("none of the", errors, StringComparison.Ordinal);
    }
}
