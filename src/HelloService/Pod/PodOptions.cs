using System.ComponentModel.DataAnnotations;

namespace HelloService.Pod;

/// <summary>
/// The container's resources as Kubernetes set them, bound to section <c>Pod</c>: the manifests
/// pass them through the Downward API (<c>resourceFieldRef</c>, divisor <c>1m</c> for CPU and
/// <c>1Mi</c> for memory); outside Kubernetes they may be set by hand. Unset means unknown, and a
/// utilization against an unknown request is null, never made up.
/// </summary>
internal sealed class PodOptions
{
    public const string SectionName = "Pod";

    [Range(1, 1_000_000)]
    public int? CpuRequestMillicores { get; set; }

    [Range(1, 1_000_000)]
    public int? CpuLimitMillicores { get; set; }

    [Range(1, 16_777_216)]
    public int? MemoryRequestMiB { get; set; }

    [Range(1, 16_777_216)]
    public int? MemoryLimitMiB { get; set; }

    /// <summary>The window of the CPU figure: metrics-server's default resolution, 15 s.</summary>
    [Range(1, 600)]
    public int WindowSeconds { get; set; } = 15;
}
