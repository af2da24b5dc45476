using HelloService.Api;
using HelloService.Metrics;
using HelloService.Workers;

using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

/// <summary>
/// What happens once at start-up: the worker budget is created (so <c>helloservice_workers_max</c>
/// is right from the first scrape) and, once the ports are bound, an open endpoint is pointed out
/// (not before: a start that fails must print its one line only).
/// </summary>
internal sealed partial class HelloWorldStartup(IOptions<HelloWorldOptions> options, WorkerBudget budget, HelloMetrics metrics, ILogger<HelloWorldStartup> logger)
    : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.WorkersMax.Set(budget.Capacity);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.ApiKey))
        {
            LogOpenEndpoint(logger, ApiKeyFilter.HeaderName);
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "/hello-world and /load are open: anyone who reaches the app port can burn this machine's CPU. " +
        "Set HelloWorld__ApiKey to require the {Header} header")]
    private static partial void LogOpenEndpoint(ILogger logger, string header);
}
