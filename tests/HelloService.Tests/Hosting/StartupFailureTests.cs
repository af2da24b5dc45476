using System.Net;
using System.Net.Sockets;

namespace HelloService.Tests.Hosting;

/// <summary>Every way the service can fail to start ends with exit code 1 and one line, nothing else.</summary>
[Trait("Category", "Slow")]
public class StartupFailureTests
{
    [Fact]
    public async Task BindingAnAddressNotOnThisMachineExitsWithCode1AndOneLineInsteadOfSigabrt()
    {
        // 10.255.255.1 is not configured on the test machine: the bind fails with EADDRNOTAVAIL
        // (only a bind attempt; no packet is sent).
        var line = await FailedStartAsync(new Dictionary<string, string> { ["Server__BindAddress"] = "10.255.255.1" });

        Assert.Contains("cannot listen on 10.255.255.1", line, StringComparison.Ordinal);
        Assert.Contains("Server__BindAddress", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusyPortExitsWithCode1AndOneLineWithoutAStackTrace()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var line = await FailedStartAsync(new Dictionary<string, string> { ["Server__AppPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.Contains("Server__AppPort", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidHelloWorldSettingExitsWithCode1AndOneLineWithoutAStackTrace()
    {
        var line = await FailedStartAsync(new Dictionary<string, string> { ["HelloWorld__MaxM"] = "40" });

        Assert.StartsWith("HelloService cannot start: HelloWorld:MaxM (environment variable HelloWorld__MaxM)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralInvalidSettingsAreNamedOnTheOneLine()
    {
        var line = await FailedStartAsync(new Dictionary<string, string> { ["HelloWorld__MaxM"] = "40", ["HelloWorld__Count"] = "-1" });

        Assert.Contains("HelloWorld__MaxM", line, StringComparison.Ordinal);
        Assert.Contains("HelloWorld__Count", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownConsoleFormatterIsRejectedInsteadOfFallingBackSilently()
    {
        var line = await FailedStartAsync(new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "garbage" });

        Assert.Contains("Logging:Console:FormatterName (environment variable Logging__Console__FormatterName) must be simple, json or systemd (is 'garbage').", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("239.1.2.3")]
    public async Task BroadcastOrMulticastBindAddressIsRejected(string address)
    {
        var line = await FailedStartAsync(new Dictionary<string, string> { ["Server__BindAddress"] = address });

        Assert.Contains("Server:BindAddress (environment variable Server__BindAddress) must be * or a unicast IP address", line, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(1025, "")]
    [InlineData(0, " a-key-with-spaces-around-it ")]
    [InlineData(0, "a-key-with-a-trailing-tab\t")]
    public async Task AnApiKeyThatCouldNeverMatchIsRefusedAtStartUp(int length, string key)
    {
        var line = await FailedStartAsync(new Dictionary<string, string> { ["HelloWorld__ApiKey"] = length > 0 ? new string('k', length) : key });

        Assert.Contains("HelloWorld:ApiKey (environment variable HelloWorld__ApiKey)", line, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ANonNumericSettingNamesItsEnvironmentVariable()
    {
        var line = await FailedStartAsync(new Dictionary<string, string> { ["HelloWorld__Count"] = "abc" });

        Assert.Contains("HelloWorld:Count (environment variable HelloWorld__Count) must be a whole number (is 'abc')", line, StringComparison.Ordinal);
    }

    /// <summary>Starts the service, expects exit code 1, and returns its only line of output.</summary>
    private static async Task<string> FailedStartAsync(Dictionary<string, string> environment)
    {
        // With a key set, the "/hello-world and /load are open" warning (logged by a hosted service that
        // starts before Kestrel binds) stays out of the way of the one line this is about.
        environment.TryAdd("HelloWorld__ApiKey", "a-test-key-of-24-chars!!");
        using var service = ServiceProcess.Start(environment);

        Assert.True(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the service did not stop");
        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(service.ExitCode == 1, $"exit code {service.ExitCode}:\n{service.Output}");
        var line = Assert.Single(lines);
        Assert.StartsWith("HelloService cannot start: ", line, StringComparison.Ordinal);
        return line;
    }
}
