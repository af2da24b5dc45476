using System.Security.Cryptography;
using System.Text;

using HelloService.HelloWorld;
using HelloService.Metrics;

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace HelloService.Api;

/// <summary>
/// Optional access key for the CPU-burning endpoint: with <c>HelloWorld__ApiKey</c> set, a
/// request must carry it in <c>X-Api-Key</c> or gets 401. Keys are compared as SHA-256 digests
/// in constant time, so neither the content nor the length of the key leaks through timing.
/// </summary>
internal static class ApiKeyFilter
{
    public const string HeaderName = Contracts.ApiKey.HeaderName;

    /// <summary>
    /// Endpoint filter factory: with no key configured the endpoint gets no filter at all (a
    /// filter costs an invocation context per request); otherwise one that checks the header.
    /// </summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var key = factory.ApplicationServices.GetRequiredService<IOptions<HelloWorldOptions>>().Value.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return next;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var rejected = factory.ApplicationServices.GetRequiredService<HelloMetrics>().RejectedUnauthorized;
        return context => Matches(context.HttpContext.Request.Headers[HeaderName], expected) ? next(context) : Reject(context.HttpContext, rejected);
    }

    private static ValueTask<object?> Reject(HttpContext context, Prometheus.Counter.Child rejected)
    {
        rejected.Inc();
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or wrong API key",
            detail: $"This service requires its access key in the {HeaderName} header for {context.Request.Path}."));
    }

    private static bool Matches(StringValues values, byte[] expected) =>
        values.Count == 1 && values[0] is { Length: > 0 and <= 1024 } given
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected);
}
