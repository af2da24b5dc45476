namespace HelloService.Tests.Hosting;

/// <summary>At start-up the service says which port is which, and where the demo page is (issue 24, item 14).</summary>
[Trait("Category", "Slow")]
public class StartupLinesTests
{
    [Fact]
    public async Task EachPortIsNamedOnItsOwnLineWithTheDemoPageUrl()
    {
        using var service = await ServiceProcess.StartReadyAsync();
        for (var i = 0; i < 100 && !service.Output.Contains("management port:", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var lines = service.Output.Split('\n');
        var app = Assert.Single(lines, l => l.Contains("app port:", StringComparison.Ordinal));
        Assert.Contains($"app port: http://127.0.0.1:{service.AppPort} (", app, StringComparison.Ordinal);
        Assert.Contains($"demo page http://127.0.0.1:{service.AppPort}/", app, StringComparison.Ordinal);
        var management = Assert.Single(lines, l => l.Contains("management port:", StringComparison.Ordinal));
        Assert.Contains($"management port: http://127.0.0.1:{service.ManagementPort} (", management, StringComparison.Ordinal);
    }
}
