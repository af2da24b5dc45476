using System.ComponentModel.DataAnnotations;

using HelloService.HelloWorld;
using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

/// <summary>Start-up checks of <see cref="LoadJobCapOptions"/>, worded like every other setting's.</summary>
internal sealed class LoadJobCapOptionsValidator() : SettingsValidator<LoadJobCapOptions, LoadJobCapOptionsRanges>(HelloWorldOptions.SectionName)
{
    protected override void CheckRules(LoadJobCapOptions o, SettingErrors errors) =>
        errors.Rule(o.MaxEventStreamsPerJob <= o.MaxEventStreams, nameof(o.MaxEventStreamsPerJob),
            $"must be at most MaxEventStreams ({o.MaxEventStreams}) (is {o.MaxEventStreamsPerJob})");

    protected override object? ValueOf(LoadJobCapOptions o, string member) => member switch
    {
        nameof(o.MaxLoadJobWorkersPercent) => o.MaxLoadJobWorkersPercent,
        nameof(o.MaxEventStreamsPerJob) => o.MaxEventStreamsPerJob,
        nameof(o.MaxEventStreams) => o.MaxEventStreams,
        nameof(o.MemoryHeadroomPercent) => o.MemoryHeadroomPercent,
        nameof(o.MinMemoryHeadroomMiB) => o.MinMemoryHeadroomMiB,
        nameof(o.MaxMemoryMiB) => o.MaxMemoryMiB,
        _ => null,
    };
}
