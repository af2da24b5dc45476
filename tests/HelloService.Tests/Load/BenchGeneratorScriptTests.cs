using HelloService.Tests.Scripts;

namespace HelloService.Tests.Load;

/// <summary>scripts/bench-generator.sh: one short real run on loopback (its usage: <see cref="Scripts.ScriptUsageTests"/>).</summary>
public class BenchGeneratorScriptTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

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
