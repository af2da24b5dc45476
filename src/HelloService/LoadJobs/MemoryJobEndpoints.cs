using HelloService.Api;
using HelloService.Contracts;
using HelloService.HelloWorld;
using HelloService.Metrics;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

/// <summary>
/// <c>POST /load/memory</c>: memory held by this instance as a load job, on the same job API as
/// CPU jobs (<c>GET</c>, <c>PATCH ?mebibytes=</c>, <c>DELETE</c>, events, ETags), admitted only
/// while the container's memory limit less its headroom has room for it.
/// </summary>
internal static class MemoryJobEndpoints
{
    public static Results<Accepted<LoadJobView>, ValidationProblem, ProblemHttpResult> StartMemoryLoad(
        HttpContext context, LoadJobRegistry registry, IOptions<HelloWorldOptions> options, HelloMetrics metrics)
    {
        var settings = options.Value;
        if (!LoadJobQuery.TryParse(context.Request.Query,
            [
                Mebibytes(registry),
                new("seconds", 1, settings.MaxLoadSeconds, "HelloWorld__MaxLoadSeconds", "s"),
                new("rampSeconds", 0, settings.MaxLoadSeconds, "HelloWorld__MaxLoadSeconds", "s", Optional: true),
            ],
            out var values,
            out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid /load/memory query");
        }

        if (values[2] > values[1])
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["rampSeconds"] = [$"Must be at most seconds ({values[1]}), but was {values[2]}."] },
                title: "Invalid /load/memory query");
        }

        return LoadJobEndpoints.Started(context, registry, settings, metrics, registry.StartMemory(values[0], values[1], values[2]));
    }

    /// <summary>A memory target: 1 MiB up to <c>HelloWorld__MaxMemoryMiB</c>; the limit's rule is checked on admission.</summary>
    public static LoadJobQuery.Parameter Mebibytes(LoadJobRegistry registry) =>
        new("mebibytes", 1, registry.Memory?.MaxHeldMiB ?? 1, "HelloWorld__MaxMemoryMiB", "Mi");

    /// <summary>
    /// 400 when the memory could never be held here (over the total cap, or over the limit less
    /// the headroom with nothing held), else 503 + Retry-After: it may be there once other memory is freed.
    /// </summary>
    public static ProblemHttpResult Refused(HttpContext context, HelloMetrics metrics, string retryAfterSeconds, string detail, bool ever, string more) =>
        ever
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not enough memory, ever", detail: detail + more)
            : Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfterSeconds, "Not enough memory now",
                detail + more + " Retry when other memory is freed.");
}
