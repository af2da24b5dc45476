using Microsoft.AspNetCore.Http.HttpResults;

using Prometheus;

namespace HelloService.Api;

/// <summary>Answers every endpoint gives alike.</summary>
internal static class Problems
{
    /// <summary>A 503 problem with <c>Retry-After</c>, counted under its rejection reason (for <c>/load</c> too).</summary>
    public static ProblemHttpResult Unavailable(HttpContext context, Counter.Child reason, string retryAfterSeconds, string title, string detail)
    {
        reason.Inc();
        context.Response.Headers.RetryAfter = retryAfterSeconds;
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail);
    }
}
