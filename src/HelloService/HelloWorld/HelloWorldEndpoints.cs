using System.Globalization;

using HelloService.Api;
using HelloService.Burn;
using HelloService.Contracts;
using HelloService.Hosting;
using HelloService.Memory;
using HelloService.Metrics;
using HelloService.Pod;
using HelloService.Workers;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using Prometheus;

namespace HelloService.HelloWorld;

internal static class HelloWorldEndpoints
{
    public static IEndpointRouteBuilder MapHelloWorld(this IEndpointRouteBuilder app)
    {
        app.MapGet("/hello-world", GetHelloWorld)
            .WithName("HelloWorld")
            .WithSummary("Greets, after burning CPU: count x A(n, m), or cpuMs milliseconds of CPU time, on parallelism worker threads.")
            .AddEndpointFilterFactory(ApiKeyFilter.Create)
            .OnAppPort();
        app.MapHelloWorldHead();
        return app;
    }

    /// <summary>
    /// Validates the query, burns (waiting briefly for workers), and answers with what happened.
    /// The burn stops when the client goes away, the deadline passes, or shutdown reaches its
    /// burn-stopping step.
    /// </summary>
    private static async Task<Results<Ok<HelloWorldResponse>, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> GetHelloWorld(
        HttpContext context,
        IOptions<HelloWorldOptions> options,
        IOptions<ServerOptions> server,
        BurnScheduler scheduler,
        GreetingCounter greetings,
        ShutdownSignal shutdown,
        PodUsage pod,
        MemoryAdmission memoryAccount,
        HelloMetrics metrics)
    {
        var settings = options.Value;
        if (!HelloWorldQuery.TryParse(context.Request.Query, settings, out var query, out var errors))
        {
            metrics.RejectedInvalid.Inc();
            return TypedResults.ValidationProblem(errors, title: "Invalid /hello-world query");
        }

        var retryAfter = settings.RetryAfterSeconds;
        string? refusal = null;
        var never = false;
        using var memory = query.MemMiB > 0 ? RequestMemory.TryHold(memoryAccount, query.MemMiB, out refusal, out never) : null;
        if (refusal is not null)
        {
            metrics.RejectedOverloaded.Inc();
            return never
                ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not enough memory, ever", detail: $"memMiB={query.MemMiB}: {refusal}")
                : Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfter, "Not enough memory now", $"memMiB={query.MemMiB}: {refusal} Retry later.");
        }

        var stops = new StopSources(context.RequestAborted, shutdown.BurnsStopping, TimeSpan.FromSeconds(settings.MaxRequestSeconds));
        var outcome = await scheduler.RunAsync(query.Job, stops, TimeSpan.FromMilliseconds(settings.AdmissionWaitMilliseconds));
        return outcome switch
        {
            BurnOutcome.Completed done => TypedResults.Ok(Greet(query, done.Report, greetings.Next(), server.Value.InstanceName, pod, metrics, memory?.HeldMiB)),
            BurnOutcome.NotAdmitted refused => Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfter, "Over capacity",
                $"This request needed {refused.Workers} of the {refused.Capacity} workers (HelloWorld__MaxBusyWorkers), and they did not " +
                $"become free within {settings.AdmissionWaitMilliseconds} ms, or {settings.MaxWaitingRequests} requests were already waiting. Retry later."),
            BurnOutcome.WorkersRefused => Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfter, "Workers unavailable",
                "The machine refused the worker threads for this request; nothing was computed. Retry later."),
            BurnOutcome.Stopped { Reason: StopReason.WorkerFailed } stopped => Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfter,
                "Workers unavailable", $"A worker thread failed; {stopped.Report.Computations} computations had completed. Retry later."),
            BurnOutcome.Stopped { Reason: StopReason.Shutdown } => Problems.Unavailable(context, metrics.RejectedShuttingDown, "1", "Shutting down",
                "This instance is stopping; the computations were cancelled. Retry: another instance will answer."),
            BurnOutcome.Stopped { Reason: StopReason.ClientGone } => TypedResults.Empty, // nobody is listening any more
            BurnOutcome.Stopped stopped => DeadlineExceeded(settings, query.Job, stopped.Report, metrics),
            _ => throw new InvalidOperationException($"unexpected burn outcome {outcome}"),
        };
    }

    private static HelloWorldResponse Greet(HelloWorldQuery query, BurnReport report, long id, string host, PodUsage pod, HelloMetrics metrics, int? heldMiB)
    {
        metrics.Greetings.Inc();
        var job = query.Job;
        return new HelloWorldResponse(
            id,
            $"Hello, {query.Name}!",
            host,
            new AckermannReport(
                job.N,
                job.M,
                report.Value,
                report.Computations,
                job.Parallelism,
                report.CallsPerComputation,
                Math.Round(report.Elapsed.TotalMilliseconds, 3),
                report.CpuTime is { } cpu ? Math.Round(cpu.TotalMilliseconds, 3) : null,
                job.CpuTime is { } target ? target.TotalMilliseconds : null,
                report.Workers),
            pod.View(),
            heldMiB);
    }

    private static ProblemHttpResult DeadlineExceeded(HelloWorldOptions settings, BurnJob job, BurnReport report, HelloMetrics metrics)
    {
        metrics.RejectedDeadline.Inc();
        var done = job.CpuTime is { } target
            ? $"{report.CpuTime?.TotalMilliseconds ?? 0:F0} of {target.TotalMilliseconds:F0} ms of CPU time had been used"
            : $"{report.Computations} of {job.Count} had completed";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status504GatewayTimeout,
            title: "Deadline exceeded",
            detail: $"The computations were stopped after {settings.MaxRequestSeconds} s (HelloWorld__MaxRequestSeconds); {done}. " +
                "Ask for less work (count, cpuMs, m) or more parallelism.");
    }
}
