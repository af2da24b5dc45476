using System.Net;
using System.Net.Sockets;

using HelloService.Hosting;

namespace HelloService.Tests.Hosting;

/// <summary>The server's own arguments: help and version answer without a port, a mistake is named, settings pass.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("--version")]
    public void HelpAndVersionAnswerWithExitZero(string argument)
    {
        using var output = new StringWriter();

        Assert.Equal(0, CommandLine.Answer([argument], output, TextWriter.Null));
        Assert.Contains(argument == "--version" ? "HelloService 1." : "Usage: HelloService", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load")]
    [InlineData("--hepl")]
    [InlineData("serve")]
    [InlineData("--port=9000")]
    [InlineData("-x")]
    [InlineData("--HelloWorld__Count=3")]
    public void AnythingElseExitsWithTwoNamingIt(string argument)
    {
        using var error = new StringWriter();

        Assert.Equal(CommandLine.BadUsage, CommandLine.Answer(["--Server:AppPort=9100", argument], TextWriter.Null, error));
        Assert.Equal($"HelloService: unknown argument '{argument}'; run 'HelloService --help' (the load generator is hello-load)", error.ToString().Trim());
    }

    [Theory]
    [InlineData]
    [InlineData("--HelloWorld:Count=10")]
    [InlineData("HelloWorld:Count=10", "/Server:AppPort=9100")]
    [InlineData("--Server:AppPort", "9100", "--HelloWorld:Count=3")]
    [InlineData("--HelloWorld:Count", "3")]
    [InlineData("--environment=Development", "--contentRoot=/tmp", "--applicationName=HelloService")]
    public void SettingsRunTheService(params string[] args) =>
        Assert.Null(CommandLine.Answer(args, TextWriter.Null, TextWriter.Null));

    [Fact]
    public void ControlCharactersInAnUnknownArgumentAreNotEchoed()
    {
        using var error = new StringWriter();

        CommandLine.Answer(["\u001b[31mred"], TextWriter.Null, error);

        Assert.DoesNotContain('\u001b', error.ToString());
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("--help", 0)]
    [InlineData("--version", 0)]
    [InlineData("lod", 2)]
    public async Task TheBinaryAnswersWithoutBindingEitherPort(string argument, int exitCode)
    {
        using var process = ServiceProcess.Start(arguments: [argument]);

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), process.Output);
        Assert.Equal(exitCode, process.ExitCode);
        Assert.DoesNotContain("listening", process.Output, StringComparison.OrdinalIgnoreCase);
        foreach (var port in new[] { process.AppPort, process.ManagementPort })
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start(); // throws if the process had bound it and something still holds it
        }
    }
}
