using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>The DataAnnotations of <see cref="ServerOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class ServerOptionsAnnotations : IValidateOptions<ServerOptions>;
