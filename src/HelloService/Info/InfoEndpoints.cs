using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

using HelloService.Ackermann;
using HelloService.Burn;
using HelloService.Contracts;
using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.LoadJobs;
using HelloService.Pod;

using Microsoft.Extensions.Options;

namespace HelloService.Info;

internal static class InfoEndpoints
{
    private static readonly string Version =
        typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/info", GetInfo)
            .WithName("Info")
            .WithSummary("Version, host, runtime and architecture, the effective defaults and limits, the worker budget, and the pod's resources and usage.")
            .OnManagementPort();
        return app;
    }

    private static InfoResponse GetInfo(IOptions<HelloWorldOptions> options, IOptions<ServerOptions> server, BurnScheduler scheduler, LoadJobRegistry jobs, PodUsage pod)
    {
        var o = options.Value;
        return new InfoResponse(
            Version,
            server.Value.InstanceName,
            Environment.ProcessorCount,
            new GcInfo(GCSettings.IsServerGC ? "server" : "workstation", GCSettings.LatencyMode.ToString(),
                GC.GetGCMemoryInfo().TotalAvailableMemoryBytes),
            System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "jit" : "native-aot",
            RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            new HelloWorldDefaults(o.Name, o.Count, o.DefaultParallelism, o.N, o.M),
            new HelloWorldLimits(o.MaxCount, o.ParallelismLimit, o.MaxM, o.MaxCpuMs, o.MaxRequestSeconds, o.AdmissionWaitMilliseconds,
                o.MaxWaitingRequests, !string.IsNullOrEmpty(o.ApiKey)),
            new WorkerInfo(scheduler.BusyWorkers, scheduler.Budget.Capacity, scheduler.Budget.Reserved, o.WorkerNice,
                AckermannKernel.StackBytesFor(o.MaxM), jobs.JobWorkers),
            PodInfo.Of(pod));
    }
}

internal sealed record InfoResponse(
    string Version,
    string Host,
    int ProcessorCount,
    GcInfo Gc,
    string Runtime,
    string Architecture,
    HelloWorldDefaults Defaults,
    HelloWorldLimits Limits,
    WorkerInfo Workers,
    PodInfo Pod);

internal sealed record GcInfo(string Mode, string LatencyMode, long TotalAvailableMemoryBytes);

internal sealed record HelloWorldDefaults(string Name, int Count, int Parallelism, int N, int M);

internal sealed record HelloWorldLimits(
    int MaxCount, int MaxParallelism, int MaxM, int MaxCpuMs, int MaxRequestSeconds, int AdmissionWaitMilliseconds, int MaxWaitingRequests, bool ApiKeyRequired);

/// <param name="Busy">Worker threads burning now, for requests and load jobs alike.</param>
/// <param name="HeldByJobs">Of those, the ones load jobs hold.</param>
internal sealed record WorkerInfo(int Busy, int Max, int Reserved, int Nice, long StackBytes, int HeldByJobs);

/// <summary>The container's resources as configured (<c>Pod__*</c>; null when unknown), the CPU window, and the usage now.</summary>
internal sealed record PodInfo(int? CpuRequestMillicores, int? CpuLimitMillicores, int? MemoryRequestMiB, int? MemoryLimitMiB, int WindowSeconds, PodView Usage)
{
    public static PodInfo Of(PodUsage pod)
    {
        var r = pod.Resources;
        return new PodInfo(r.CpuRequestMillicores, r.CpuLimitMillicores, r.MemoryRequestMiB, r.MemoryLimitMiB, r.WindowSeconds, pod.View());
    }
}
