using HelloService.Pod;

using Prometheus;

namespace HelloService.Metrics;

/// <summary>
/// The pod's figures (<see cref="PodUsage"/>, the same as the <c>pod</c> field of the answers) as
/// gauges, read when <c>/metrics</c> is scraped. The requests and limits, and the utilizations
/// against them, are exported only when they are known (<c>Pod__*</c> set): an absent series, not
/// a made-up 0.
/// </summary>
internal static class PodMetrics
{
    private const double BytesPerMiB = 1024 * 1024;

    public static void Register(HelloMetrics metrics, PodUsage pod)
    {
        var factory = metrics.Factory;
        var resources = pod.Resources;
        var cpu = factory.CreateGauge("helloservice_pod_cpu_usage_millicores",
            $"CPU the process used over the last {resources.WindowSeconds} s (Pod__WindowSeconds), in millicores: what metrics-server reports to the HPA.");
        var workingSet = factory.CreateGauge("helloservice_pod_working_set_bytes",
            "The container's working set (cgroup memory usage less inactive file pages; the process's resident memory outside a cgroup limit).");
        Constant(factory, "helloservice_pod_cpu_request_millicores", "The container's CPU request (Pod__CpuRequestMillicores).", resources.CpuRequestMillicores);
        Constant(factory, "helloservice_pod_cpu_limit_millicores", "The container's CPU limit (Pod__CpuLimitMillicores).", resources.CpuLimitMillicores);
        Constant(factory, "helloservice_pod_memory_request_bytes", "The container's memory request (Pod__MemoryRequestMiB).", resources.MemoryRequestMiB * BytesPerMiB);
        Constant(factory, "helloservice_pod_memory_limit_bytes", "The container's memory limit (Pod__MemoryLimitMiB).", resources.MemoryLimitMiB * BytesPerMiB);
        var cpuUtilization = resources.CpuRequestMillicores is null ? null : factory.CreateGauge("helloservice_pod_cpu_utilization_ratio",
            "CPU usage over the window divided by the CPU request: the HPA's utilization of this pod (0.8 = 80%).");
        var memoryUtilization = resources.MemoryRequestMiB is null ? null : factory.CreateGauge("helloservice_pod_memory_utilization_ratio",
            "Working set divided by the memory request: the HPA's memory utilization of this pod.");

        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            var millicores = pod.CpuMillicores();
            var mebibytes = pod.WorkingSetMiB();
            cpu.Set(millicores);
            workingSet.Set(mebibytes * BytesPerMiB);
            cpuUtilization?.Set(millicores / resources.CpuRequestMillicores!.Value);
            memoryUtilization?.Set(mebibytes / resources.MemoryRequestMiB!.Value);
        });
    }

    private static void Constant(IMetricFactory factory, string name, string help, double? value)
    {
        if (value is { } known)
        {
            factory.CreateGauge(name, help).Set(known);
        }
    }
}
