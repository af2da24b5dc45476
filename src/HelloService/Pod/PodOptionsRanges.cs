using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.Pod;

/// <summary>The ranges of <see cref="PodOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class PodOptionsRanges : IValidateOptions<PodOptions>;
