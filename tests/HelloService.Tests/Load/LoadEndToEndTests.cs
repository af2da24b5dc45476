using System.Text.Json;

using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>The generator against the real service, as a process, on loopback only.</summary>
[Trait("Category", "Slow")]
public class LoadEndToEndTests
{
    [Fact]
    public async Task OpenLoopHoldsItsRateAgainstTheServiceAndNamesThePodThatAnswered()
    {
        using var service = await ServiceProcess.StartReadyAsync(warmUp: true);

        var (exitCode, lines, errors) = await Generator.RunAsync(
            "--url", $"http://127.0.0.1:{service.AppPort}", "--rate", "40", "--query", "count=1&m=5", "--duration", "3s");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, errors);
        var final = lines[^1];
        var seconds = Generator.Seconds(lines);
        Assert.True(final.GetProperty("final").GetBoolean());
        Assert.Equal("completed", final.GetProperty("outcome").GetString());
        Assert.Equal(120, final.GetProperty("sent").GetInt64());
        Assert.Equal(120, final.GetProperty("statuses").GetProperty("200").GetInt64());
        Assert.Equal(0, final.GetProperty("statuses").GetProperty("transportErrors").GetInt64());
        Assert.Equal(120, final.GetProperty("hosts").GetProperty(Environment.MachineName).GetInt64());
        Assert.Equal(1.0, final.GetProperty("perHost").GetProperty(Environment.MachineName).GetProperty("share").GetDouble());
        Assert.True(final.GetProperty("achievedMillicores").GetDouble() > 0, "the answers' cpuMs add up to the achieved demand");
        Assert.InRange(seconds.Count, 3, 30); // 3 s of sending, then the last answers (a noisy machine may take long)
        Assert.All(seconds, s =>
        {
            foreach (var field in new[] { "elapsedSeconds", "targetMillicores", "achievedMillicores", "requests", "statuses", "latencyMs", "hosts" })
            {
                Assert.True(s.TryGetProperty(field, out _), $"no {field} in {s}");
            }
        });
        Assert.Equal(120, seconds.Sum(s => s.GetProperty("sent").GetInt64()));
        Assert.Equal(1, seconds[1].GetProperty("podsLast10s").GetInt32());
        Assert.InRange(seconds[1].GetProperty("requests").GetInt64(), 20, 60); // 40/s, generously
    }

    [Fact]
    public async Task ClosedLoopKeepsItsConcurrencyUntilTheDuration()
    {
        using var service = await ServiceProcess.StartReadyAsync(warmUp: true);

        var (exitCode, lines, _) = await Generator.RunAsync(
            "--url", $"http://127.0.0.1:{service.AppPort}", "--concurrency", "2", "--query", "count=1&m=5", "--duration", "2s");

        var final = lines[^1];
        Assert.Equal(0, exitCode);
        Assert.True(final.GetProperty("sent").GetInt64() > 10);
        Assert.Equal(final.GetProperty("sent").GetInt64(), final.GetProperty("statuses").GetProperty("200").GetInt64());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("targetMillicores").ValueKind);
        Assert.All(Generator.Seconds(lines), s => Assert.InRange(s.GetProperty("inFlight").GetInt32(), 0, 2));
    }

    [Fact]
    public async Task ServiceAnswersOtherThan200AreCountedByClass()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["HelloWorld__ApiKey"] = "right-key-0123456789" });

        var (wrongKey, lines, _) = await Generator.RunAsync(
            "--url", $"http://127.0.0.1:{service.AppPort}", "--rate", "20", "--query", "count=1&m=5", "--duration", "1s", "--api-key", "wrong");
        var (rightKey, good, _) = await Generator.RunAsync(
            "--url", $"http://127.0.0.1:{service.AppPort}", "--rate", "20", "--query", "count=1&m=5", "--duration", "1s", "--api-key", "right-key-0123456789");

        // HTTP answers, even 401s, are not transport failures; a busy service may answer 503 first.
        // A run in which nothing succeeded fails all the same.
        var wrong = lines[^1].GetProperty("statuses");
        var right = good[^1].GetProperty("statuses");
        Assert.Equal(LoadCommand.Failed, wrongKey);
        Assert.StartsWith("none of the 20 requests succeeded", lines[^1].GetProperty("cause").GetString(), StringComparison.Ordinal);
        Assert.True(wrong.GetProperty("4xx").GetInt64() > 0 && wrong.GetProperty("4xx").GetInt64() + wrong.GetProperty("503").GetInt64() == 20, wrong.ToString());
        Assert.Equal(0, wrong.GetProperty("200").GetInt64());
        Assert.Equal(0, rightKey);
        Assert.True(right.GetProperty("200").GetInt64() > 0 && right.GetProperty("200").GetInt64() + right.GetProperty("503").GetInt64() == 20, right.ToString());
        Assert.Equal(0, right.GetProperty("4xx").GetInt64());
    }

    [Fact]
    public async Task NobodyListeningMeansTransportErrorsAndExitOne()
    {
        var port = ServiceProcess.FreePort();

        var (exitCode, lines, errors) = await Generator.RunAsync("--url", $"http://127.0.0.1:{port}", "--rate", "20", "--query", "count=1", "--duration", "1s");

        var final = lines[^1];
        Assert.Equal(LoadCommand.Failed, exitCode);
        Assert.Equal(final.GetProperty("sent").GetInt64(), final.GetProperty("statuses").GetProperty("transportErrors").GetInt64());
        Assert.Equal(100, final.GetProperty("transportErrorPercent").GetDouble());
        Assert.Contains("transport errors; the limit is 1%): Connection refused", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigtermStopsTheGeneratorWithItsSummary()
    {
        using var service = await ServiceProcess.StartReadyAsync();
        using var generator = ServiceProcess.StartGenerator(
            ["--url", $"http://127.0.0.1:{service.AppPort}", "--rate", "20", "--query", "count=1&m=5", "--duration", "1h", "--json"]);

        // Wait for the first per-second line, then stop it as Kubernetes stops a Job's pod.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!generator.Output.Contains("\"elapsedSeconds\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !generator.HasExited)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        generator.Terminate();
        Assert.True(await generator.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"still running after SIGTERM:\n{generator.Output}");
        var final = Generator.Lines(generator.Output)[^1];
        Assert.Equal(0, generator.ExitCode);
        Assert.Equal("interrupted", final.GetProperty("outcome").GetString());
        Assert.True(final.GetProperty("sent").GetInt64() >= 10);
    }

    [Fact]
    public async Task BadUsageFromTheBinaryExitsWithTwo()
    {
        using var generator = ServiceProcess.StartGenerator(["--url", "http://127.0.0.1:1", "--demand", "lots"]);

        Assert.True(await generator.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(LoadCommand.BadUsage, generator.ExitCode);
        Assert.Contains("'lots' is not a CPU quantity", generator.Output, StringComparison.Ordinal);
    }
}
