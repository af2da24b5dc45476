using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.Memory;
using HelloService.Metrics;
using HelloService.Pod;
using HelloService.Workers;

using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

internal static class LoadJobsExtensions
{
    /// <summary>The registry of load jobs, sharing the worker budget and the shutdown signal of <c>/hello-world</c>.</summary>
    public static WebApplicationBuilder AddLoadJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoadJobCapOptions>()
            .Bind(builder.Configuration.GetSection(HelloWorldOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LoadJobCapOptions>, LoadJobCapOptionsValidator>();
        builder.Services.AddSingleton<ILoadJobObserver>(sp => sp.GetRequiredService<HelloMetrics>());
        builder.Services.AddSingleton(sp =>
        {
            var caps = sp.GetRequiredService<IOptions<LoadJobCapOptions>>().Value;
            return new MemoryAdmission(sp.GetRequiredService<CgroupMemory>(), caps.MemoryHeadroomPercent, caps.MinMemoryHeadroomMiB, caps.MaxMemoryMiB,
                sp.GetRequiredService<IOptions<PodOptions>>().Value.MemoryLimitMiB);
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HelloWorldOptions>>().Value;
            var caps = sp.GetRequiredService<IOptions<LoadJobCapOptions>>().Value;
            var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return new LoadJobRegistry(
                sp.GetRequiredService<WorkerThreads>(),
                sp.GetRequiredService<ILoadJobObserver>(),
                new LoadJobRegistry.Limits(options.MaxLoadJobs, options.MaxLoadSeconds, LoadJobRegistry.Limits.DefaultKeepFinished,
                    LoadJobRegistry.Limits.DefaultKeepFinishedFor, TimeSpan.FromMilliseconds(options.AdmissionWaitMilliseconds),
                    caps.JobWorkers(options.WorkerBudget), caps.MaxEventStreamsPerJob, caps.EventStreams(server.MaxAppConnections)),
                sp.GetRequiredService<ShutdownSignal>().BurnsStopping,
                server.InstanceName)
            {
                Memory = sp.GetRequiredService<MemoryAdmission>(),
            };
        });
        return builder;
    }
}
