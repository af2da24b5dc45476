using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

using HelloService.Ackermann;
using HelloService.Burn;
using HelloService.HelloWorld;
using HelloService.Hosting;

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
            .WithSummary("Version, host, runtime and architecture, the effective defaults and limits, and the worker budget.")
            .OnManagementPort();
        return app;
    }

    private static InfoResponse GetInfo(IOptions<HelloWorldOptions> options, IOptions<ServerOptions> server, BurnScheduler scheduler)
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
                AckermannKernel.StackBytesFor(o.MaxM)));
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
    WorkerInfo Workers);

internal sealed record GcInfo(string Mode, string LatencyMode, long TotalAvailableMemoryBytes);

internal sealed record HelloWorldDefaults(string Name, int Count, int Parallelism, int N, int M);

internal sealed record HelloWorldLimits(
    int MaxCount, int MaxParallelism, int MaxM, int MaxCpuMs, int MaxRequestSeconds, int AdmissionWaitMilliseconds, int MaxWaitingRequests, bool ApiKeyRequired);

internal sealed record WorkerInfo(int Busy, int Max, int Reserved, int Nice, long StackBytes);
