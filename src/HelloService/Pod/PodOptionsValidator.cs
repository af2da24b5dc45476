using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.Pod;

/// <summary>Start-up checks of <see cref="PodOptions"/>: the generated ranges, and no request above its limit.</summary>
internal sealed class PodOptionsValidator() : SettingsValidator<PodOptions, PodOptionsRanges>(PodOptions.SectionName)
{
    protected override void CheckRules(PodOptions o, SettingErrors errors)
    {
        errors.Rule(o.CpuRequestMillicores is null || o.CpuLimitMillicores is null || o.CpuRequestMillicores <= o.CpuLimitMillicores,
            nameof(o.CpuRequestMillicores), $"must be at most CpuLimitMillicores ({o.CpuLimitMillicores}) (is {o.CpuRequestMillicores})");
        errors.Rule(o.MemoryRequestMiB is null || o.MemoryLimitMiB is null || o.MemoryRequestMiB <= o.MemoryLimitMiB,
            nameof(o.MemoryRequestMiB), $"must be at most MemoryLimitMiB ({o.MemoryLimitMiB}) (is {o.MemoryRequestMiB})");
    }

    protected override object? ValueOf(PodOptions o, string member) => member switch
    {
        nameof(o.CpuRequestMillicores) => o.CpuRequestMillicores,
        nameof(o.CpuLimitMillicores) => o.CpuLimitMillicores,
        nameof(o.MemoryRequestMiB) => o.MemoryRequestMiB,
        nameof(o.MemoryLimitMiB) => o.MemoryLimitMiB,
        nameof(o.WindowSeconds) => o.WindowSeconds,
        _ => null,
    };
}
