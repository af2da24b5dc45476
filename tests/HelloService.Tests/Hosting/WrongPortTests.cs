using System.Net;

namespace HelloService.Tests.Hosting;

/// <summary>Against its own process, as a client meets it.</summary>
[Trait("Category", "Slow")]
public class WrongPortTests : IClassFixture<WrongPortTests.Fixture>
{
    private readonly ServiceProcess _app;

    public WrongPortTests(Fixture fixture) => _app = fixture.Service;

    public sealed class Fixture : IAsyncLifetime
    {
        public ServiceProcess Service { get; } = ServiceProcess.Start();

        public async ValueTask InitializeAsync() => await Service.WaitUntilReadyAsync();

        public ValueTask DisposeAsync()
        {
            Service.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task AppPathOnTheManagementPortSaysWhichPortServesIt()
    {
        using var management = _app.Management();

        using var response = await management.GetAsync("/hello-world", TestContext.Current.CancellationToken);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"app port, {_app.AppPort} (Server__AppPort)", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    [InlineData("/info")]
    public async Task ManagementPathOnTheAppPortRevealsNothingMoreThanAnUnknownPath(string path)
    {
        using var app = _app.App();

        using var wrongPort = await app.GetAsync(path, TestContext.Current.CancellationToken);
        using var unknown = await app.GetAsync("/no-such-path", TestContext.Current.CancellationToken);

        var problem = await wrongPort.ProblemAsync(HttpStatusCode.NotFound);
        var reference = await unknown.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(Without(reference, "traceId"), Without(problem, "traceId"));
        Assert.DoesNotContain(_app.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture), await wrongPort.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Without(System.Text.Json.JsonElement problem, string property) =>
        string.Join(",", problem.EnumerateObject().Where(p => p.Name != property).Select(p => $"{p.Name}={p.Value}"));
}
