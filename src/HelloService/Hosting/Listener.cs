using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>Which of the two ports an endpoint is served on.</summary>
internal enum Listener
{
    App,
    Management,
}
