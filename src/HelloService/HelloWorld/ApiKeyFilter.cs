using System.Security.Cryptography;
using System.Text;

using HelloService.Metrics;

using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

/// <summary>
/// Optional access key for the CPU-burning endpoint: with <c>HelloWorld__ApiKey</c> set, a
/// request must carry it in <c>X-Api-Key</c> or gets 401. Keys are compared as SHA-256 digests
/// in constant time, so neither the content nor the length of the key leaks through timing.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    // Read on first use, not at construction: options are validated when the host starts.
    private readonly Lazy<byte[]?> _expectedDigest;

    public ApiKeyFilter(IOptions<HelloWorldOptions> options) =>
        _expectedDigest = new(() => options.Value.ApiKey is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null);

    public bool IsRequired => _expectedDigest.Value is not null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_expectedDigest.Value is not { } expected || Matches(context.HttpContext.Request.Headers[HeaderName], expected))
        {
            return next(context);
        }

        HelloMetrics.RejectedUnauthorized.Inc();
        context.HttpContext.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Missing or wrong API key",
            detail: $"This service requires its access key in the {HeaderName} header for /hello-world."));
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues values, byte[] expected)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= 1024 } given)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected);
    }
}
