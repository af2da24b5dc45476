using HelloService.Api;
using HelloService.Hosting;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

internal static class HelloWorldHead
{
    /// <summary>
    /// HEAD <c>/hello-world</c>: the key and the query are checked as for GET, and nothing is
    /// burnt: a HEAD that burnt CPU for an answer nobody reads would be a free amplifier.
    /// </summary>
    public static IEndpointRouteBuilder MapHelloWorldHead(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/hello-world", [HttpMethods.Head], HeadHelloWorld)
            .WithName(nameof(HeadHelloWorld))
            .ExcludeFromDescription()
            .AddEndpointFilterFactory(ApiKeyFilter.Create)
            .OnAppPort();
        return app;
    }

    private static Results<Ok, ValidationProblem> HeadHelloWorld(HttpContext context, IOptions<HelloWorldOptions> options) =>
        HelloWorldQuery.TryParse(context.Request.Query, options.Value, out _, out var errors)
            ? TypedResults.Ok()
            : TypedResults.ValidationProblem(errors, title: "Invalid /hello-world query");
}
