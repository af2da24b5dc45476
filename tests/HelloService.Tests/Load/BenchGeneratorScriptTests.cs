using HelloService.Tests.Scripts;

namespace HelloService.Tests.Load;

/// <summary>scripts/bench-generator.sh: its usage, and one short real run on loopback.</summary>
public class BenchGeneratorScriptTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("-r", "0")]
    [InlineData("-r", "20000")]
    [InlineData("-d", "121")]
    [InlineData("-c", "many")]
    [InlineData("-x", "/nonexistent/HelloService")]
    [InlineData("--bogus")]
    public async Task BadOptionsExitWithTwoAndUsage(params string[] args)
    {
        var run = await ScriptRun.RunAsync("bench-generator.sh", args, Limit);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpShowsAnExample()
    {
        var run = await ScriptRun.RunAsync("bench-generator.sh", ["-h"], Limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Example: bench-generator.sh -r 2000 -d 10", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task AShortRunPrintsTheGeneratorsFigures()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HelloService.dll");

        var run = await ScriptRun.RunAsync("bench-generator.sh", ["-x", dll, "-r", "100", "-d", "1", "-c", "2"], TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sent 100, answered 100", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"schedule lag p50 [0-9.]+ ms, p99 [0-9.]+ ms", run.Stdout);
        Assert.Matches(@"own VmHWM: [0-9.]+ MiB", run.Stdout);
    }
}
