using HelloService.Ackermann;
using HelloService.Api;
using HelloService.Burn;
using HelloService.Metrics;
using HelloService.Workers;

using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

internal static class HelloWorldExtensions
{
    /// <summary>Options, the worker budget and the burn scheduler behind <c>/hello-world</c>.</summary>
    public static WebApplicationBuilder AddHelloWorld(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HelloWorldOptions>()
            .Bind(builder.Configuration.GetSection(HelloWorldOptions.SectionName))
            .PostConfigure(HelloWorldOptions.Resolve)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HelloWorldOptions>, HelloWorldOptionsValidator>();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HelloWorldOptions>>().Value;
            return new WorkerBudget(options.WorkerBudget, options.MaxWaitingRequests);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HelloWorldOptions>>().Value;
            return new WorkerThreads(
                sp.GetRequiredService<WorkerBudget>(),
                sp.GetRequiredService<IBurnObserver>(),
                new WorkerThreads.Settings(options.WorkerNice, AckermannKernel.StackBytesFor(options.MaxM)),
                sp.GetRequiredService<ILogger<WorkerThreads>>());
        });
        services.AddSingleton<BurnScheduler>();
        services.AddSingleton<HelloMetrics>();
        services.AddSingleton<IBurnObserver>(sp => sp.GetRequiredService<HelloMetrics>());
        services.AddSingleton<GreetingCounter>();
        services.AddHostedService<HelloWorldStartup>();
        return builder;
    }
}

/// <summary>Greeting ids, counted from 1 per process like the original's <c>AtomicLong</c>.</summary>
internal sealed class GreetingCounter
{
    private long _last;

    public long Last => Interlocked.Read(ref _last);

    public long Next() => Interlocked.Increment(ref _last);
}

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
