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
