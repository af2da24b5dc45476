using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.Demo;

internal static class DemoExtensions
{
    /// <summary>The check of <c>Server:InstanceName</c>, the name the page shows for this instance.</summary>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, InstanceNameValidator>();
        return builder;
    }
}
