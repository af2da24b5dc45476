using System.Text.Json;

using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;

namespace HelloService.Tests.Load;

/// <summary>
/// <c>load --hold-memory</c>, alone and beside <c>--hold</c>, against the service in-process:
/// memory jobs started, watched in one line a second, and deleted on an interrupt or a failed start.
/// </summary>
[Collection("in-process load jobs")]
public class HoldMemoryTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["HelloWorld:MaxBusyWorkers"] = "4",
        ["HelloWorld:AdmissionWaitMilliseconds"] = "0",
    };

    [Fact]
    public async Task HoldMemoryStartsAMemoryJobWatchesItAndDeletesItOnAnInterrupt()
    {
        using var app = new HelloServiceApp(Settings).Started();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var registry = app.Get<LoadJobRegistry>();

        var run = Generator.RunUntilAsync(interrupt.Token, ["--url", $"http://127.0.0.1:{app.AppPort}", "--hold-memory", "8Mi", "--ramp-memory", "2s", "--duration", "60s"]);
        await BurnSchedulerTests.WaitUntil(() => registry.OpenStreams > 0 && registry.All().Any(j => j.HeldMiB == 8), seconds: 20);
        await interrupt.CancelAsync();
        var (exitCode, lines, errors) = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, errors);
        Assert.Equal("started", Event(lines[0]));
        var started = Job(lines[0]);
        Assert.Equal("memory", started.GetProperty("kind").GetString());
        Assert.Equal(8, started.GetProperty("mebibytes").GetInt32());
        Assert.Equal(2, started.GetProperty("rampSeconds").GetInt32());
        Assert.Contains(lines, line => Event(line) == "progress" && Job(line).GetProperty("heldMiB").GetInt32() > 0);
        Assert.Equal("deleted", Event(lines[^1]));
        Assert.Equal(["deleted"], FinalEvents(lines));
        Assert.False(lines[^1].TryGetProperty("jobs", out _), "one job held: no jobs array");
        var job = Assert.Single(registry.All());
        Assert.Equal(LoadJobKind.Memory, job.Kind);
        Assert.Equal(LoadJobState.Cancelled, job.State);
        await BurnSchedulerTests.WaitUntil(() => job.HeldMiB == 0, seconds: 10);
    }

    [Fact]
    public async Task CpuAndMemoryHeldTogetherAreWatchedInOneLineAndBothDeletedOnAnInterrupt()
    {
        using var app = new HelloServiceApp(Settings).Started();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var registry = app.Get<LoadJobRegistry>();

        var run = Generator.RunUntilAsync(interrupt.Token, ["--url", $"http://127.0.0.1:{app.AppPort}", "--hold", "100m", "--hold-memory", "4Mi", "--duration", "60s"]);
        await BurnSchedulerTests.WaitUntil(() => registry.OpenStreams >= 2 && registry.All().Any(j => j.HeldMiB == 4) && registry.All().Any(j => j.CpuTime > TimeSpan.Zero), seconds: 20);
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken); // a line or two showing both
        await interrupt.CancelAsync();
        var (exitCode, lines, errors) = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(["started", "started"], lines.Take(2).Select(Event));
        Assert.Equal(["cpu", "memory"], lines.Take(2).Select(line => Job(line).GetProperty("kind").GetString()));
        var progress = lines.Where(line => Event(line) == "progress").ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, line => Assert.Equal(["cpu", "memory"], line.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("kind").GetString())));
        Assert.Equal(["deleted", "deleted"], lines[^2..].Select(Event));
        Assert.Equal(["deleted"], FinalEvents(lines));
        Assert.All(lines[^1].GetProperty("jobs").EnumerateArray(), j => Assert.Equal("cancelled", j.GetProperty("state").GetString()));
        Assert.Equal(2, registry.All().Count(j => j.State == LoadJobState.Cancelled));
    }

    [Fact]
    public async Task BothJobsRunTheirTimeAndEndTogether()
    {
        using var app = new HelloServiceApp(Settings).Started();

        var (exitCode, lines, errors) = await Generator.RunAsync("--url", $"http://127.0.0.1:{app.AppPort}/hello-world", "--hold", "100m", "--hold-memory", "2Mi", "--duration", "2s");

        Assert.True(exitCode == 0, errors);
        Assert.Equal(["end", "end"], lines[^2..].Select(Event));
        Assert.Equal(["end"], FinalEvents(lines));
        Assert.Equal(["completed", "completed"], lines[^2..].Select(line => Job(line).GetProperty("state").GetString()));
        Assert.All(app.Get<LoadJobRegistry>().All(), job => Assert.Equal(LoadJobState.Completed, job.State));
    }

    [Fact]
    public async Task AMemoryJobTheServiceRefusesExitsOneNamingTheOptionAndDeletesTheCpuJobStartedBeforeIt()
    {
        using var app = new HelloServiceApp(new Dictionary<string, string?>(Settings) { ["HelloWorld:MaxMemoryMiB"] = "10" }).Started();
        var url = $"http://127.0.0.1:{app.AppPort}";

        var (alone, aloneLines, aloneErrors) = await Generator.RunAsync("--url", url, "--hold-memory", "64Mi", "--duration", "5s");
        var (both, bothLines, bothErrors) = await Generator.RunAsync("--url", url, "--hold", "100m", "--hold-memory", "64Mi", "--duration", "60s");

        Assert.Equal(1, alone);
        Assert.Equal("error", Event(Assert.Single(aloneLines)));
        Assert.Contains("the memory job was not started: POST /load/memory?mebibytes=64&seconds=5: 400 Bad Request", aloneErrors, StringComparison.Ordinal);
        Assert.Contains("mebibytes (--hold-memory): ", aloneErrors, StringComparison.Ordinal);
        Assert.Equal(1, both);
        Assert.Equal("error", Event(Assert.Single(bothLines)));
        Assert.Contains("mebibytes (--hold-memory): ", bothErrors, StringComparison.Ordinal);
        Assert.Contains("started before, was deleted", bothErrors, StringComparison.Ordinal);
        var cpu = Assert.Single(app.Get<LoadJobRegistry>().All());
        Assert.Equal(LoadJobKind.Cpu, cpu.Kind);
        Assert.Equal(LoadJobState.Cancelled, cpu.State);
    }

    private static string? Event(JsonElement line) => line.GetProperty("event").GetString();

    private static List<string?> FinalEvents(List<JsonElement> lines) =>
        [.. lines.Where(line => line.TryGetProperty("final", out var final) && final.GetBoolean()).Select(Event)];

    private static JsonElement Job(JsonElement line) => line.GetProperty("job");
}
