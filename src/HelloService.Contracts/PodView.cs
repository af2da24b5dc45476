namespace HelloService.Contracts;

/// <summary>
/// How busy the answering pod is as the Horizontal Pod Autoscaler measures it: the process's CPU
/// over the last window (15 s by default, metrics-server's resolution) divided by the container's
/// CPU request, and its working set divided by its memory request. A request that is not known
/// (<c>Pod__CpuRequestMillicores</c>, <c>Pod__MemoryRequestMiB</c> unset) gives a null utilization.
/// </summary>
public sealed record PodView(
    double CpuMillicores,
    int? CpuRequestMillicores,
    double? CpuUtilizationPercent,
    double WorkingSetMiB,
    int? MemoryRequestMiB,
    double? MemoryUtilizationPercent);
