using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.Metrics;
using HelloService.Workers;

using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

internal static class LoadJobsExtensions
{
    /// <summary>The registry of load jobs, sharing the worker budget and the shutdown signal of <c>/hello-world</c>.</summary>
    public static WebApplicationBuilder AddLoadJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ILoadJobObserver>(sp => sp.GetRequiredService<HelloMetrics>());
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HelloWorldOptions>>().Value;
            return new LoadJobRegistry(
                sp.GetRequiredService<WorkerThreads>(),
                sp.GetRequiredService<ILoadJobObserver>(),
                new LoadJobRegistry.Limits(options.MaxLoadJobs, options.MaxLoadSeconds, LoadJobRegistry.Limits.DefaultKeepFinished,
                    LoadJobRegistry.Limits.DefaultKeepFinishedFor, TimeSpan.FromMilliseconds(options.AdmissionWaitMilliseconds)),
                sp.GetRequiredService<ShutdownSignal>().BurnsStopping,
                sp.GetRequiredService<IOptions<ServerOptions>>().Value.InstanceName);
        });
        return builder;
    }
}
