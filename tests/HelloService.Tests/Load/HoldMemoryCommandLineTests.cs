using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary><c>--hold-memory</c> and <c>--ramp-memory</c> on the command line: Kubernetes quantities into whole MiB, and the jobs' URLs.</summary>
public class HoldMemoryCommandLineTests
{
    private const string Url = "http://127.0.0.1:9000";

    [Theory]
    [InlineData("512Mi", 512)]
    [InlineData("1Gi", 1024)]
    [InlineData("1.5Gi", 1536)]
    [InlineData("1024Ki", 1)]
    [InlineData("1025Ki", 2)] // rounded up: a job holds whole MiB
    [InlineData("1G", 954)] // 10^9 bytes is 953.7 MiB
    [InlineData("300M", 287)] // 286.1 MiB
    [InlineData("2000k", 2)] // 1.9 MiB
    [InlineData("1048576", 1)] // a number without a unit counts bytes, as in Kubernetes
    [InlineData(" 64Mi ", 64)]
    public void MemoryQuantitiesReadAsKubernetesWritesThemIntoWholeMebibytesRoundedUp(string text, int mebibytes)
    {
        Assert.Equal(mebibytes, MemoryQuantity.ParseMebibytes("--hold-memory", text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("512m", "'512m' is millibytes")]
    [InlineData("512", "'512' is 512 bytes")]
    [InlineData("512", "did you mean 512Mi?")]
    [InlineData("0Mi", "less than 1 MiB")]
    [InlineData("1M", "less than 1 MiB")] // 10^6 bytes is 0.95 MiB
    [InlineData("1000Ki", "less than 1 MiB")]
    [InlineData("512MB", "is not a memory quantity")]
    [InlineData("1Ti", "is not a memory quantity")]
    [InlineData("-1Mi", "is not a memory quantity")]
    [InlineData("1e3Mi", "is not a memory quantity")]
    [InlineData("", "is not a memory quantity")]
    [InlineData("2048Gi", "is more than 1Ti")]
    public void WhatIsNoMemoryQuantityOrLessThanOneMebibyteIsRefusedNamingTheOption(string text, string message)
    {
        Assert.Null(MemoryQuantity.ParseMebibytes("--hold-memory", text, out var error));
        Assert.StartsWith("--hold-memory: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Url, "http://127.0.0.1:9000/load/memory?mebibytes=512&seconds=600")]
    [InlineData("http://127.0.0.1:9000/hello-world", "http://127.0.0.1:9000/load/memory?mebibytes=512&seconds=600")]
    [InlineData("http://127.0.0.1:8001/api/v1/namespaces/demo/pods/hello-0:9000/proxy/", "http://127.0.0.1:8001/api/v1/namespaces/demo/pods/hello-0:9000/proxy/load/memory?mebibytes=512&seconds=600")]
    public void HoldMemoryStartsAMemoryJobNextToTheServicesRoot(string url, string target)
    {
        var plan = Plan("--url", url, "--hold-memory", "512Mi", "--duration", "10m");

        Assert.Equal(LoadMode.Hold, plan.Mode);
        var job = Assert.Single(plan.HoldJobs);
        Assert.Equal(HoldJobSpec.Memory, job.Kind);
        Assert.Equal(new Uri(target), job.Start);
        Assert.Equal(new Uri(target), plan.Target);
        Assert.Contains("a memory job holding 512Mi on one instance for 10m", plan.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void HoldAndHoldMemoryTogetherStartTheCpuJobFirstAndTheRampGoesIntoTheQuery()
    {
        var plan = Plan("--url", Url, "--hold", "500m", "--hold-memory", "256Mi", "--ramp-memory", "10s", "--duration", "1m");

        Assert.Equal(
            [new Uri("http://127.0.0.1:9000/load/cpu?millicores=500&seconds=60"), new Uri("http://127.0.0.1:9000/load/memory?mebibytes=256&seconds=60&rampSeconds=10")],
            plan.HoldJobs.Select(job => job.Start));
        Assert.Equal("a load job holding 500m on one instance for 1m and a memory job holding 256Mi (reached over 10s) on one instance for 1m", plan.Describe());
    }

    [Theory]
    [InlineData("--hold-memory: '512m' is millibytes", "--url", Url, "--hold-memory", "512m")]
    [InlineData("--hold-memory: '0.5Mi' is less than 1 MiB", "--url", Url, "--hold-memory", "0.5Mi")]
    [InlineData("--hold-memory: 'lots' is not a memory quantity", "--url", Url, "--hold-memory", "lots")]
    [InlineData("--ramp-memory goes with --hold-memory", "--url", Url, "--hold", "500m", "--ramp-memory", "10s")]
    [InlineData("--ramp-memory 2m is longer than --duration 1m", "--url", Url, "--hold-memory", "64Mi", "--ramp-memory", "2m", "--duration", "1m")]
    [InlineData("--ramp-memory: a ramp runs whole seconds", "--url", Url, "--hold-memory", "64Mi", "--ramp-memory", "1500ms")]
    [InlineData("--ramp-memory: '10' is not a duration", "--url", Url, "--hold-memory", "64Mi", "--ramp-memory", "10")]
    [InlineData("a load job runs whole seconds", "--url", Url, "--hold-memory", "64Mi", "--duration", "1500ms")]
    [InlineData("choose one of --demand, --hold-memory", "--url", Url, "--demand", "1", "--hold-memory", "64Mi")]
    [InlineData("--query does not go with --hold or --hold-memory", "--url", Url, "--hold-memory", "64Mi", "--query", "count=1")]
    [InlineData("with --hold or --hold-memory it names the instance only", "--url", "http://127.0.0.1:9000/?count=1", "--hold-memory", "64Mi")]
    [InlineData("--duration 2h is over the 1h limit", "--url", Url, "--hold-memory", "64Mi", "--duration", "2h")]
    public void BadHoldMemoryUsageExitsWithTwoAndSaysWhatIsWrong(string message, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = LoadCommand.Run([.. options], output, error);

        Assert.Equal(LoadCommand.BadUsage, exitCode);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public void HelpNamesTheMemoryOptionsAndShowsAnExample()
    {
        using var output = new StringWriter();

        Assert.Equal(0, LoadCommand.Run(["--help"], output, new StringWriter()));
        Assert.Contains("--hold-memory", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--ramp-memory", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--hold 500m --hold-memory 256Mi", output.ToString(), StringComparison.Ordinal);
    }

    private static LoadPlan Plan(params string[] options)
    {
        var (plan, errors) = LoadCommand.Parse([.. options], _ => null);
        Assert.True(plan is not null, string.Join("; ", errors));
        return plan;
    }
}
