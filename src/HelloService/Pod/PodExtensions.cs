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
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PodOptions>, PodOptionsValidator>();
        builder.Services.AddSingleton(_ => new CgroupMemory());
        builder.Services.AddSingleton<PodUsage>();
        return builder;
    }
}
