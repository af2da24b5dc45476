using System.Diagnostics;
using System.Globalization;

using HelloService.HelloWorld;

namespace HelloService.Tests.Scripts;

/// <summary>
/// scripts/load.sh against the real service on loopback, with tiny work (count=1, m=3). The
/// greeting counter of the service tells how many successful requests really arrived.
/// </summary>
[Trait("Category", "Slow")]
public class LoadScriptTests(AppFixture<LoadScriptTests> fixture) : IClassFixture<AppFixture<LoadScriptTests>>, IAppSettings
{
    private const string TinyWork = "count=1&m=3";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly HelloServiceApp _app = fixture.App;

    public static IDictionary<string, string?>? AppSettings => null;

    private string BaseUrl => $"http://127.0.0.1:{_app.AppPort}";

    private long Greetings => _app.Get<GreetingCounter>().Last;

    [Fact]
    public async Task LoadMakesExactlyTheRequestedNumberOfRequests()
    {
        var before = Greetings;

        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", TinyWork, "-n", "20", "-c", "4"], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(20, run.Summary("requests"));
        Assert.Equal(20, run.Summary("status 200"));
        Assert.Equal(0, run.Summary("transport failures"));
        Assert.Equal(20, Greetings - before);
    }

    [Theory]
    [InlineData("/hello-world?count=1&parallelism=1&n=2&m=3&name=Perf", 3, "--count", "1", "--parallelism", "1", "--n", "2", "--m", "3", "--name", "Perf")]
    [InlineData("/hello-world?count=2&parallelism=1&m=3", 4, "-count", "2", "-parallelism", "1", "-m", "3")] // -n stays the request total
    public async Task LoadBuildsTheQueryFromSeparateFlags(string target, int requests, params string[] flags)
    {
        var before = Greetings;

        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, .. flags, "-n", requests.ToString(CultureInfo.InvariantCulture)], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(target, run.Stdout, StringComparison.Ordinal);
        Assert.Equal(requests, run.Summary("status 200"));
        Assert.Equal(requests, Greetings - before);
    }

    [Fact]
    public async Task LoadStopsByItselfAfterTheDuration()
    {
        var before = Greetings;

        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", TinyWork, "-d", "2", "-c", "2"], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
        var requests = run.Summary("requests");
        Assert.True(requests > 0, run.ToString());
        Assert.Equal(requests, run.Summary("status 200"));
        Assert.Equal(requests, Greetings - before);
        Assert.Contains("[1 s]", run.Stderr, StringComparison.Ordinal); // the progress line

        // Progress lines count each second's requests, not a running total.
        var perSecond = System.Text.RegularExpressions.Regex.Matches(run.Stderr, @"^\[\d+ s\] [0-9.]+ req/s, (\d+) requests", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(perSecond <= requests, run.ToString());
        Assert.Contains("| hosts 1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadTalliesTheHostThatAnsweredEachRequest()
    {
        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", TinyWork, "-n", "6", "-c", "2"], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(1, run.Summary("hosts"));
        Assert.Equal(6, run.Summary($"host {Environment.MachineName}"));
    }

    [Fact]
    public async Task LoadStopsStartingAfterTheDurationAndEndsWithinTheRequestTimeout()
    {
        // Each request would burn for minutes; curl gives up after -t 2 s, the service stops the burn.
        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", "count=1000&m=12&parallelism=1", "-d", "1", "-t", "2"], Limit);

        Assert.True(run.ExitCode == 1, run.ToString()); // the timed-out request is a transport failure
        Assert.Contains("stops starting after 1 s (in-flight requests end within -t 2 s)", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, run.Summary("requests"));
        Assert.Equal(0, run.Summary("hosts"));
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(1 + 2 + 10), run.ToString()); // about 3 s expected
    }

    [Fact]
    public async Task LoadStopsAtTheDurationEvenWhenTheRequestCountIsNotReached()
    {
        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", TinyWork, "-n", "1000000", "-d", "1", "-c", "2"], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.InRange(run.Summary("requests"), 1, 999_999);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(20), run.ToString());
    }

    [Fact]
    public async Task LoadCountsBadRequestsByStatusWithoutCallingThemTransportFailures()
    {
        var before = Greetings;

        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", "count=-1", "-n", "5", "-c", "2"], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5, run.Summary("status 400"));
        Assert.False(run.HasSummary("status 200"), run.ToString());
        Assert.Equal(0, run.Summary("transport failures"));
        Assert.Equal(0, Greetings - before);
    }

    [Fact]
    public async Task LoadExitsNonZeroWhenNothingListens()
    {
        var deadPort = ServiceProcess.FreePort();

        var run = await ScriptRun.RunAsync("load.sh", ["-u", $"http://127.0.0.1:{deadPort}", "-n", "3", "-t", "2"], Limit);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(3, run.Summary("status 000"));
        Assert.Equal(3, run.Summary("transport failures"));
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("-c", "0")]
    [InlineData("-c", "257")]
    [InlineData("-n", "abc")]
    [InlineData("-n", "0")]
    [InlineData("-d", "3601")]
    [InlineData("-t", "0")]
    [InlineData("-u", "ftp://127.0.0.1")]
    [InlineData("-p", "no-slash")]
    [InlineData("--count", "-1")]
    [InlineData("-d")]
    public async Task LoadRejectsBadOptionsWithUsageAndExitCode2(params string[] args)
    {
        var before = Greetings;

        var run = await ScriptRun.RunAsync("load.sh", ["-u", BaseUrl, "-q", TinyWork, .. args], Limit);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal(0, Greetings - before);
    }


    [Fact]
    public async Task LoadStopsOnSigintAndRemovesItsTemporaryFiles()
    {
        var tmp = Directory.CreateTempSubdirectory("load-test-");
        try
        {
            var run = await ScriptRun.RunAsync(
                "load.sh",
                ["-u", BaseUrl, "-q", TinyWork, "-d", "60", "-c", "2"],
                Limit,
                new Dictionary<string, string> { ["TMPDIR"] = tmp.FullName },
                async process =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
                    Assert.NotEmpty(tmp.GetFileSystemInfos()); // the workers' files exist while it runs
                    using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
                });

            Assert.True(run.ExitCode == 130, run.ToString());
            Assert.True(run.Elapsed < TimeSpan.FromSeconds(20), run.ToString());
            Assert.True(run.Summary("requests") > 0, run.ToString());
            Assert.Empty(tmp.GetFileSystemInfos());
        }
        finally
        {
            tmp.Delete(recursive: true);
        }
    }
}
