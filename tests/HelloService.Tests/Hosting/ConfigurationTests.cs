using HelloService.HelloWorld;
using HelloService.Hosting;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HelloService.Tests.Hosting;

public class ConfigurationTests
{
    public static TheoryData<string, string> InvalidSettings() => new()
    {
        { "HelloWorld:Count", "1001" },
        { "HelloWorld:Count", "-1" },
        { "HelloWorld:Parallelism", "0" },
        { "HelloWorld:Parallelism", "65" },
        { "HelloWorld:N", "4" },
        { "HelloWorld:M", "15" },
        { "HelloWorld:MaxM", "30" },
        { "HelloWorld:MaxCount", "-5" },
        { "HelloWorld:MaxParallelism", "0" },
        { "HelloWorld:MaxBusyWorkers", "0" },
        { "HelloWorld:MaxBusyWorkers", "5000" },
        { "HelloWorld:MaxRequestSeconds", "0" },
        { "HelloWorld:AdmissionWaitMilliseconds", "-1" },
        { "HelloWorld:MaxWaitingRequests", "-1" },
        { "HelloWorld:WorkerNice", "20" },
        { "HelloWorld:Name", "" },
        { "HelloWorld:ApiKey", "short" },
        { "Server:AppPort", "70000" },
        { "Server:ManagementPort", "0" },
        { "Server:BindAddress", "not-an-ip" },
        { "Server:DrainSeconds", "30" },
        { "Server:ShutdownTimeoutSeconds", "0" },
        { "Server:MaxAppConnections", "0" },
        { "Server:SilentConnectionSeconds", "0" },
        { "Server:SilentConnectionSeconds", "76" },
        { "Server:BindAddress", "255.255.255.255" },
        { "Server:BindAddress", "224.0.0.1" },
        { "Server:BindAddress", "ff02::1" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void InvalidSettingFailsValidationNamingTheKeyAndItsVariable(string key, string value)
    {
        var failures = Validate(key, value);

        var message = Assert.Single(failures, f => f.StartsWith(key + " ", StringComparison.Ordinal));
        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Server:AppPort", "70000", "Server:AppPort (environment variable Server__AppPort) must be between 1 and 65535 (is 70000).")]
    [InlineData("Server:DrainSeconds", "30", "Server:DrainSeconds (environment variable Server__DrainSeconds) must be less than ShutdownTimeoutSeconds (20) (is 30).")]
    [InlineData("Server:SilentConnectionSeconds", "0", "Server:SilentConnectionSeconds (environment variable Server__SilentConnectionSeconds) must be between 1 and 75 (is 0).")]
    public void ServerSettingFailuresReadAsOneSentenceWithTheValue(string key, string value, string expected)
    {
        Assert.Equal(expected, Assert.Single(Validate(key, value)));
    }

    [Fact]
    public void DefaultSettingsAreValid()
    {
        Assert.Empty(Validate("HelloWorld:Count", "35"));
    }

    [Fact]
    public void EmptyApiKeyMeansNoKey()
    {
        Assert.Empty(Validate("HelloWorld:ApiKey", ""));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task ServiceWithAnInvalidSettingExitsWithCode1AndSaysWhichKey()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string> { ["HelloWorld__MaxM"] = "40" });

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not stop");
        Assert.Equal(1, service.ExitCode);
        Assert.Contains("HelloWorld:MaxM (environment variable HelloWorld__MaxM)", service.Output, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("Server__AppPort", "0", "Server:AppPort")]
    [InlineData("Server__ShutdownTimeoutSeconds", "soon", "Server:ShutdownTimeoutSeconds")]
    [InlineData("Server__BindAddress", "nowhere", "Server:BindAddress")]
    public async Task ServiceWithAnInvalidServerSettingExitsWithCode1AndSaysWhichKey(string variable, string value, string key)
    {
        // Server settings are read while the host is built (its shutdown timeout), before it runs.
        using var service = ServiceProcess.Start(new Dictionary<string, string> { [variable] = value });

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not stop");
        Assert.Equal(1, service.ExitCode);
        Assert.Contains(key, service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AdmissionWaitMustBeShorterThanTheDeadline()
    {
        var options = new HelloWorldOptions { MaxRequestSeconds = 2, AdmissionWaitMilliseconds = 2000 };

        var result = new HelloWorldOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("HelloWorld:AdmissionWaitMilliseconds ", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultWorkerBudgetStaysWithinTheThreadLimitOnAnyMachine()
    {
        var options = new HelloWorldOptions();
        HelloWorldOptions.Resolve(options);

        Assert.InRange(options.WorkerBudget, 1, HelloWorldOptions.MaxThreadsLimit);
        Assert.False(new HelloWorldOptionsValidator().Validate(null, options).Failed);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task WorkerBudgetMetricIsRightFromTheFirstScrape()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["HelloWorld__MaxBusyWorkers"] = "7" });
        using var management = service.Management();

        var metrics = await management.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(7, Http.Sample(metrics, "helloservice_workers_max"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task ServiceWithANonNumericSettingExitsWithCode1AndSaysWhichKey()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string> { ["HelloWorld__Count"] = "lots" });

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not stop");
        Assert.Equal(1, service.ExitCode);
        Assert.Contains("HelloWorld:Count", service.Output, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task ServiceStartsWithValidSettingsFromTheEnvironment()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["HelloWorld__Count"] = "2",
            ["HelloWorld__M"] = "5",
            ["HelloWorld__Name"] = "Env",
        });
        using var client = service.App();

        var body = await (await client.GetAsync("/hello-world", TestContext.Current.CancellationToken)).JsonAsync(System.Net.HttpStatusCode.OK);

        Assert.Equal("Hello, Env!", body.GetProperty("content").GetString());
        Assert.Equal(2, body.GetProperty("ackermann").GetProperty("count").GetInt32());
        Assert.Equal(253, body.GetProperty("ackermann").GetProperty("value").GetInt32());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task JsonConsoleLoggingIsSelectableByConfiguration()
    {
        using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });
        service.Terminate();
        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the service did not stop");

        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var entry = System.Text.Json.JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.EndsWith("Z", entry.RootElement.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
        });
        Assert.Contains(lines, line => line.Contains("/hello-world and /load are open", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Validate(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var hello = new HelloWorldOptions();
        configuration.GetSection(HelloWorldOptions.SectionName).Bind(hello);
        var server = new ServerOptions();
        configuration.GetSection(ServerOptions.SectionName).Bind(server);

        var results = new[]
        {
            new HelloWorldOptionsValidator().Validate(null, hello),
            new ServerOptionsValidator().Validate(null, server),
        };
        return results.Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
    }
}
