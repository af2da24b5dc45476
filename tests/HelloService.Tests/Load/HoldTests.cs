using System.Net;
using System.Text.Json;

using HelloService.LoadJobs;
using HelloService.Tests.Ackermann;
using HelloService.Tests.Demo;
using HelloService.Tests.LoadJobs;

namespace HelloService.Tests.Load;

/// <summary><c>load --hold</c> against the service in-process: start, watch, end or delete a load job.</summary>
[Collection("in-process load jobs")]
public class HoldTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["HelloWorld:MaxBusyWorkers"] = "4",
        ["HelloWorld:AdmissionWaitMilliseconds"] = "0",
    };

    [Fact]
    public async Task HoldStartsAJobShowsItsEventsAndEndsWithIt()
    {
        using var app = new HelloServiceApp(Settings).Started();

        var (exitCode, lines, errors) = await Generator.RunAsync("--url", $"http://127.0.0.1:{app.AppPort}/hello-world", "--hold", "200m", "--duration", "2s");

        Assert.True(exitCode == 0, errors);
        Assert.Equal("started", Event(lines[0]));
        Assert.Equal("end", Event(lines[^1]));
        Assert.True(lines[^1].GetProperty("final").GetBoolean());
        Assert.All(lines[1..^1], line => Assert.Equal("progress", Event(line)));
        Assert.InRange(lines.Count, 3, 12); // a progress event at once and about one a second for 2 s
        var id = Job(lines[0]).GetProperty("id").GetInt64();
        Assert.All(lines, line => Assert.Equal(id, Job(line).GetProperty("id").GetInt64()));
        var end = Job(lines[^1]);
        Assert.Equal("completed", end.GetProperty("state").GetString());
        Assert.Equal(200, end.GetProperty("millicores").GetInt32());
        Assert.Equal(2, end.GetProperty("seconds").GetInt32());
        Assert.True(end.GetProperty("cpuMs").GetDouble() > 0, end.ToString());
        Assert.Equal(LoadJobState.Completed, app.Get<LoadJobRegistry>().Find(id)!.State);
    }

    [Fact]
    public async Task InterruptDeletesTheJobAndExitsZero()
    {
        using var app = new HelloServiceApp(Settings).Started();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var registry = app.Get<LoadJobRegistry>();

        var run = Generator.RunUntilAsync(interrupt.Token, ["--url", $"http://127.0.0.1:{app.AppPort}", "--hold", "300m", "--duration", "60s"]);
        // Its event stream is open: the generator has the job's answer and watches it.
        await BurnSchedulerTests.WaitUntil(() => registry.OpenStreams > 0 && registry.All().Any(j => j.CpuTime > TimeSpan.Zero), seconds: 20);
        await interrupt.CancelAsync();
        var (exitCode, lines, errors) = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, errors);
        Assert.Equal("deleted", Event(lines[^1]));
        Assert.True(lines[^1].GetProperty("final").GetBoolean());
        Assert.Equal("cancelled", Job(lines[^1]).GetProperty("state").GetString());
        var job = Assert.Single(registry.All());
        Assert.Equal(LoadJobState.Cancelled, job.State);
        await job.ThreadsEnded.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, app.LoadWorkers());
    }

    [Fact]
    public async Task AJobDeletedByAnotherClientExitsOneAndSaysSo()
    {
        using var app = new HelloServiceApp(Settings).Started();
        var registry = app.Get<LoadJobRegistry>();

        var run = Generator.RunAsync("--url", $"http://127.0.0.1:{app.AppPort}", "--hold", "100m", "--duration", "60s");
        await BurnSchedulerTests.WaitUntil(() => registry.All().Any(), seconds: 20);
        using var client = app.App();
        using var deleted = await client.DeleteAsync($"/load/{registry.All().Single().Id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var (exitCode, lines, errors) = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("cancelled on the service", errors, StringComparison.Ordinal);
        Assert.Equal("end", Event(lines[^2]));
        Assert.Equal("cancelled", Job(lines[^2]).GetProperty("state").GetString());
        // The stream ends with the failure, for a script that reads only standard output, and
        // only that line is final.
        Assert.Equal("error", Event(lines[^1]));
        Assert.Equal(["error"], FinalEvents(lines));
        Assert.Contains("cancelled on the service", lines[^1].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJobTheServiceRefusesExitsOneWithTheProblemNamingTheParameter()
    {
        using var app = new HelloServiceApp(Settings).Started();

        // 5 cores is beyond the 4-worker budget (4000m) on any machine: a 400 naming millicores.
        var (exitCode, lines, errors) = await Generator.RunAsync("--url", $"http://127.0.0.1:{app.AppPort}", "--hold", "5", "--duration", "5s");

        Assert.Equal(1, exitCode);
        var only = Assert.Single(lines);
        Assert.Equal("error", Event(only));
        Assert.False(only.TryGetProperty("job", out _), only.ToString());
        Assert.Contains("the job was not started: ", errors, StringComparison.Ordinal);
        Assert.Contains("400 Bad Request", errors, StringComparison.Ordinal);
        Assert.Contains("millicores (--hold): ", errors, StringComparison.Ordinal);
        Assert.Empty(app.Get<LoadJobRegistry>().All());
    }

    [Fact]
    public async Task TheApiKeyIsSentAndAWrongOneIsReported()
    {
        using var app = new HelloServiceApp(new Dictionary<string, string?>(Settings) { ["HelloWorld:ApiKey"] = "hold-key-0123456789" }).Started();
        var url = $"http://127.0.0.1:{app.AppPort}";

        var (wrong, _, wrongErrors) = await Generator.RunAsync("--url", url, "--hold", "100m", "--duration", "1s", "--api-key", "nope");
        var (right, lines, rightErrors) = await Generator.RunAsync("--url", url, "--hold", "100m", "--duration", "1s", "--api-key", "hold-key-0123456789");

        Assert.Equal(1, wrong);
        Assert.Contains("401", wrongErrors, StringComparison.Ordinal);
        Assert.True(right == 0, rightErrors);
        Assert.Equal("completed", Job(lines[^1]).GetProperty("state").GetString());
    }

    [Fact]
    public async Task AUrlThatSpreadsRequestsOverInstancesIsNamedAndTheJobIsStillDeleted()
    {
        using var first = new HelloServiceApp(Settings).Started();
        using var second = new HelloServiceApp(Settings).Started();
        await using var service = await RoundRobinProxy.StartAsync([first.AppPort, second.AppPort]);

        // POST to one instance, the event stream to the other (404), the DELETE back to the first.
        var (exitCode, lines, errors) = await Generator.RunAsync("--url", service.Url, "--hold", "100m", "--duration", "60s");

        Assert.Equal(1, exitCode);
        Assert.Contains("--url must reach one pod", errors, StringComparison.Ordinal);
        Assert.Contains("was deleted", errors, StringComparison.Ordinal);
        Assert.Equal(["error"], FinalEvents(lines)); // not the "deleted" line before it
        var job = Assert.Single(first.Get<LoadJobRegistry>().All().Concat(second.Get<LoadJobRegistry>().All()));
        Assert.Equal(LoadJobState.Cancelled, job.State);
    }

    [Fact]
    public async Task AnInterruptWhileTheStartIsOnItsWayStillDeletesTheJobItStarted()
    {
        using var app = new HelloServiceApp(Settings).Started();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var registry = app.Get<LoadJobRegistry>();

        // Interrupted at once: the POST is sent, its answer comes after the interrupt.
        await interrupt.CancelAsync();
        var (exitCode, lines, errors) = await Generator.RunUntilAsync(interrupt.Token, ["--url", $"http://127.0.0.1:{app.AppPort}", "--hold", "100m", "--duration", "60s"])
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, errors);
        Assert.Equal("deleted", Event(lines[^1]));
        var job = Assert.Single(registry.All());
        Assert.Equal(LoadJobState.Cancelled, job.State);
    }

    private static string? Event(JsonElement line) => line.GetProperty("event").GetString();

    /// <summary>The events of the lines marked final: a script stops at the first, so there must be one.</summary>
    private static List<string?> FinalEvents(List<JsonElement> lines) =>
        [.. lines.Where(line => line.TryGetProperty("final", out var final) && final.GetBoolean()).Select(Event)];

    private static JsonElement Job(JsonElement line) => line.GetProperty("job");
}
