namespace HelloService.Tests.Scripts;

/// <summary>scripts/bench-http.sh: only what needs neither hey nor wrk (CI never depends on them).</summary>
[Trait("Category", "Slow")]
public class BenchHttpScriptTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BenchHttpWithoutHeyOrWrkSaysHowToInstallThem()
    {
        // A PATH with bash and curl only.
        var bin = Directory.CreateTempSubdirectory("bench-http-path-");
        try
        {
            foreach (var tool in new[] { "bash", "curl" })
            {
                var target = new[] { "/usr/bin", "/bin", "/usr/local/bin" }
                    .Select(dir => Path.Combine(dir, tool))
                    .First(File.Exists);
                File.CreateSymbolicLink(Path.Combine(bin.FullName, tool), target);
            }

            var run = await ScriptRun.RunAsync(
                "bench-http.sh",
                ["-u", $"http://127.0.0.1:{ServiceProcess.FreePort()}", "-d", "1"],
                Limit,
                new Dictionary<string, string> { ["PATH"] = bin.FullName });

            Assert.True(run.ExitCode == 3, run.ToString());
            Assert.Contains("apt-get install hey", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("wrk", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}
