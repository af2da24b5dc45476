using HelloService.Ackermann;
using HelloService.Metrics;

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
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HelloWorldOptions>, HelloWorldOptionsValidator>();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HelloWorldOptions>>().Value;
            HelloMetrics.WorkersMax.Set(options.EffectiveMaxBusyWorkers);
            return new WorkerBudget(options.EffectiveMaxBusyWorkers, options.MaxWaitingRequests);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HelloWorldOptions>>().Value;
            return new BurnScheduler(
                sp.GetRequiredService<WorkerBudget>(),
                options.WorkerNice,
                AckermannKernel.StackBytesFor(options.MaxM),
                sp.GetRequiredService<ILogger<BurnScheduler>>());
        });
        services.AddSingleton<GreetingCounter>();
        services.AddSingleton<ApiKeyFilter>();
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
