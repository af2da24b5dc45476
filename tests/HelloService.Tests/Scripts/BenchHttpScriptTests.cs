using System.Globalization;
using System.Text.RegularExpressions;

using HelloService.Tests.Observability;

namespace HelloService.Tests.Scripts;

/// <summary>
/// scripts/bench-http.sh with each of its tools against the service, the figures it prints checked
/// against the service's own count; and without either tool. hey and wrk are installed by CI; on
/// a developer's machine the runs skip without them.
/// </summary>
[Trait("Category", "Slow")]
public class BenchHttpScriptTests
{
    private const int Connections = 2;
    private const string Greetings = "http_requests_received_total{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/hello-world\"}";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WithHeyTheLightPhaseReportsTheAnswersTheServiceCounted()
    {
        ToolRun.Require("hey", "apt-get install hey");
        var (run, counted) = await RunLightPhaseAsync("hey");

        // hey's summary: "Requests/sec:\t1234.5" and "Status code distribution:" then "  [200]\tN responses".
        Assert.True(Figure(run, @"^\s*Requests/sec:\s+([0-9.]+)$") > 0, run.ToString());
        var statuses = Regex.Matches(run.Stdout, @"^\s*\[(\d{3})\]\s+(\d+) responses$", RegexOptions.Multiline);
        var answers = (long)Figure(run, @"^\s*\[200\]\s+(\d+) responses$");
        Assert.True(statuses.Count == 1, $"only 200s expected:\n{run}");
        AssertCountedByTheService(answers, counted, run);
    }

    [Fact]
    public async Task WithWrkTheLightPhaseReportsTheAnswersTheServiceCounted()
    {
        ToolRun.Require("wrk", "apt-get install wrk");
        var (run, counted) = await RunLightPhaseAsync("wrk");

        // wrk's summary: "  N requests in 1.00s, X read", "Requests/sec: R", and a "Non-2xx or 3xx responses" line only if there were any.
        Assert.True(Figure(run, @"^\s*Requests/sec:\s+([0-9.]+)$") > 0, run.ToString());
        var answers = (long)Figure(run, @"^\s*(\d+) requests in [0-9.]+m?s, ");
        Assert.DoesNotContain("Non-2xx", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Latency Distribution", run.Stdout, StringComparison.Ordinal);
        AssertCountedByTheService(answers, counted, run);
    }

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

    /// <summary>One second of light requests (count=0) with <paramref name="tool"/>; the run and the 200s the service counted.</summary>
    private static async Task<(ScriptRun Run, double Counted)> RunLightPhaseAsync(string tool)
    {
        using var service = await ServiceProcess.StartReadyAsync();
        var run = await ScriptRun.RunAsync("bench-http.sh", ["-u", service.AppUri.ToString(), "-d", "1", "-c", $"{Connections}", "-P", "light", "-T", tool], Limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"== light: GET {service.AppUri}hello-world?count=0, {Connections} connection(s), 1 s, {tool}", run.Stdout, StringComparison.Ordinal);

        using var management = service.Management();
        var metrics = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        return (run, PrometheusText.TryGet(metrics, Greetings) ?? 0);
    }

    /// <summary>
    /// Every answer the tool counted was counted by the service too; the service may have answered
    /// at most one more per connection, the requests in flight when the tool stopped.
    /// </summary>
    private static void AssertCountedByTheService(long answers, double counted, ScriptRun run)
    {
        Assert.True(answers > 0, run.ToString());
        Assert.InRange(counted, answers, answers + Connections);
    }

    private static double Figure(ScriptRun run, string pattern)
    {
        var match = Regex.Match(run.Stdout, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"no line matching {pattern} in:\n{run}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
