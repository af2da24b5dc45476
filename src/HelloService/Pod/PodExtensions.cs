using HelloService.Memory;

using Microsoft.Extensions.Options;

namespace HelloService.Pod;

internal static class PodExtensions
{
    /// <summary>The pod's resources (section <c>Pod</c>), the container's memory, and the pod's usage against its requests.</summary>
    public static WebApplicationBuilder AddPod(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PodOptions>()
            .Bind(builder.Configuration.GetSection(PodOptions.SectionName))
            .PostConfigure(UnsetWhenZero)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PodOptions>, PodOptionsValidator>();
        builder.Services.AddSingleton(_ => new CgroupMemory());
        builder.Services.AddSingleton<PodUsage>();
        return builder;
    }

    /// <summary>
    /// The Downward API gives "0" for a request that is not set (and no limit to default it
    /// from): the kubelet writes the request rounded up to the divisor, and an absent request is
    /// zero. Zero is no request, so it is unknown here, as if unset.
    /// </summary>
    private static void UnsetWhenZero(PodOptions o)
    {
        o.CpuRequestMillicores = o.CpuRequestMillicores is 0 ? null : o.CpuRequestMillicores;
        o.CpuLimitMillicores = o.CpuLimitMillicores is 0 ? null : o.CpuLimitMillicores;
        o.MemoryRequestMiB = o.MemoryRequestMiB is 0 ? null : o.MemoryRequestMiB;
        o.MemoryLimitMiB = o.MemoryLimitMiB is 0 ? null : o.MemoryLimitMiB;
    }
}
