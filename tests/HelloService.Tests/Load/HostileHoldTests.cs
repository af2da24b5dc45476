using System.Text;

using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>
/// <c>--hold</c> against a server that starts a job and then answers with what no service
/// should send: one clear line, exit 1, the job it started deleted, and nothing but printable
/// characters from the server on the terminal.
/// </summary>
public class HostileHoldTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<string> EndlessEvents => new()
    {
        "data: {\"id\":7}\n", // data lines, never a blank line to end the event
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", // one line that never ends
    };

    [Theory]
    [MemberData(nameof(EndlessEvents))]
    public async Task AnEventThatNeverEndsFailsWithOneLineAndTheJobIsDeleted(string repeated)
    {
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(repeated, 1024)));
        await using var server = HostileServer.Start(async (method, path, stream, cancellation) =>
        {
            switch (method, path)
            {
                case ("POST", _):
                    await HostileServer.AcceptedAsync(stream, "/load/7", cancellation);
                    break;
                case ("GET", "/load/7/events"):
                    await HostileServer.WriteAsync(stream, HostileServer.Head("200 OK", "text/event-stream", length: null), cancellation);
                    await HostileServer.RepeatAsync(stream, chunk, cancellation);
                    break;
                default:
                    await HostileServer.DeletedAsync(stream, cancellation);
                    break;
            }
        });

        var (exitCode, lines, errors) = await Generator.RunAsync("--url", server.Url, "--hold", "100m", "--duration", "60s")
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var error = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("64 KiB", error, StringComparison.Ordinal);
        Assert.Contains("job 7 was deleted", error, StringComparison.Ordinal);
        Assert.Contains("DELETE /load/7", server.Requests);
        Assert.Equal("error", lines[^1].GetProperty("event").GetString());
    }

    [Theory]
    [InlineData(@"/load/http:\\127.0.0.1:1\x")]
    [InlineData("http://127.0.0.2:1/load/7")]
    [InlineData("/somewhere/else")]
    [InlineData("/load/7/../../admin")]
    public async Task ALocationThatIsNotAJobPathOnTheSameOriginIsRefusedAndTheJobDeleted(string location)
    {
        await using var server = HostileServer.Start(async (method, path, stream, cancellation) =>
        {
            if (method == "POST")
            {
                await HostileServer.AcceptedAsync(stream, location, cancellation);
            }
            else if (method == "DELETE")
            {
                await HostileServer.DeletedAsync(stream, cancellation);
            }
            else
            {
                await HostileServer.WriteAsync(stream, HostileServer.Head("404 Not Found", "text/plain", 0), cancellation);
            }
        });

        var (exitCode, _, errors) = await Generator.RunAsync("--url", server.Url, "--hold", "100m", "--duration", "60s")
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var error = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Location", error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("GET ", StringComparison.Ordinal));
        Assert.Contains("DELETE /load/7", server.Requests);
    }

    [Fact]
    public async Task TheServersStatusLineAndProblemReachTheTerminalOnlyAsPrintableCharacters()
    {
        const string Body = """{"title":"\u001b]0;owned\u0007Bad","detail":"\u001b[2J\u009b31mcleared","errors":{"millicores\u001b[1m":["\u001b[5mtoo many"]}}""";
        await using var server = HostileServer.Start((_, _, stream, cancellation) => HostileServer.WriteAsync(stream,
            HostileServer.Head("400 Bad\u001b[31mRequest", "application/problem+json", Encoding.UTF8.GetByteCount(Body)) + Body, cancellation));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Task.Run(() => LoadCommand.Run(["--url", server.Url, "--hold", "100m", "--duration", "60s"], output, error), TestContext.Current.CancellationToken)
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var text = error.ToString();
        Assert.Contains("400", text, StringComparison.Ordinal);
        Assert.Contains("cleared", text, StringComparison.Ordinal);
        Assert.Contains("too many", text, StringComparison.Ordinal);
        AssertPrintable(text + output);
    }

    [Fact]
    public async Task TheJobsFiguresReachTheTerminalOnlyAsPrintableCharacters()
    {
        await using var server = HostileServer.Start(async (method, path, stream, cancellation) =>
        {
            switch (method, path)
            {
                case ("POST", _):
                    await HostileServer.AcceptedAsync(stream, "/load/7", cancellation, host: "pod\u001b[2J\u202eevil");
                    break;
                case ("GET", "/load/7/events"):
                    var job = HostileServer.Job(state: "completed\u001b[31m", host: "pod\u001b]0;owned\u0007");
                    await HostileServer.WriteAsync(stream, HostileServer.Head("200 OK", "text/event-stream", length: null)
                        + $"event: progress\ndata: {job}\n\nevent: end\ndata: {job}\n\n", cancellation);
                    break;
                default:
                    await HostileServer.DeletedAsync(stream, cancellation);
                    break;
            }
        });
        using var output = new StringWriter();
        using var error = new StringWriter();

        await Task.Run(() => LoadCommand.Run(["--url", server.Url, "--hold", "100m", "--duration", "60s"], output, error), TestContext.Current.CancellationToken)
            .WaitAsync(Bound, TestContext.Current.CancellationToken);

        var text = output.ToString() + error;
        Assert.Contains("pod", text, StringComparison.Ordinal);
        AssertPrintable(text);
    }

    /// <summary>No control or format character but the line ends.</summary>
    internal static void AssertPrintable(string text)
    {
        var bad = text.Where(c => c != '\n' && (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)).ToList();
        Assert.True(bad.Count == 0, $"unprintable characters {string.Join(' ', bad.Select(c => $"U+{(int)c:X4}"))} in: {text}");
    }
}
