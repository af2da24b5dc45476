using HelloService.Ackermann;
using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

/// <summary>The ranges of <see cref="HelloWorldOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class HelloWorldOptionsRanges : IValidateOptions<HelloWorldOptions>;
