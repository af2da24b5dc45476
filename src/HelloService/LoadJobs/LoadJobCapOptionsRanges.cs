using System.ComponentModel.DataAnnotations;

using HelloService.HelloWorld;
using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

/// <summary>The ranges of <see cref="LoadJobCapOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class LoadJobCapOptionsRanges : IValidateOptions<LoadJobCapOptions>;
