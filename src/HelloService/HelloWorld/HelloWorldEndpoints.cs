using HelloService.Ackermann;
using HelloService.Hosting;
using HelloService.Metrics;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using Prometheus;

namespace HelloService.HelloWorld;

internal static class HelloWorldEndpoints
{
    public static IEndpointRouteBuilder MapHelloWorld(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var endpoint = app.MapGet("/hello-world", GetHelloWorld)
            .WithName("HelloWorld")
            .WithSummary("Greets, after burning CPU with count x A(n, m) on parallelism worker threads.")
            .OnAppPort();

        // The key filter costs a per-request invocation context; leave it out when no key is set
        // (the same configuration value binds HelloWorldOptions.ApiKey).
        if (!string.IsNullOrEmpty(services.GetRequiredService<IConfiguration>()[$"{HelloWorldOptions.SectionName}:{nameof(HelloWorldOptions.ApiKey)}"]))
        {
            endpoint.AddEndpointFilter(services.GetRequiredService<ApiKeyFilter>());
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
        {
            // Creates the worker budget now, so helloservice_workers_max is right from the first scrape.
            _ = services.GetRequiredService<BurnScheduler>();

            if (!services.GetRequiredService<ApiKeyFilter>().IsRequired)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HelloWorldEndpoints)).LogWarning(
                    "/hello-world is open: anyone who reaches the app port can burn this machine's CPU. " +
                    "Set HelloWorld__ApiKey to require the {Header} header", ApiKeyFilter.HeaderName);
            }
        });
        return app;
    }

    /// <summary>
    /// Validates the query, waits briefly for workers, burns, and greets. The computations stop
    /// when the client goes away, the deadline passes, or shutdown reaches its burn-stopping step.
    /// </summary>
    private static async Task<Results<Ok<HelloWorldResponse>, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> GetHelloWorld(
        HttpContext context,
        IOptions<HelloWorldOptions> options,
        IOptions<ServerOptions> server,
        BurnScheduler scheduler,
        GreetingCounter greetings,
        ShutdownSignal shutdown)
    {
        var settings = options.Value;
        var query = HelloWorldQuery.TryParse(context.Request.Query, settings, out var errors);
        if (query is null)
        {
            HelloMetrics.RejectedInvalid.Inc();
            return TypedResults.ValidationProblem(errors, title: "Invalid /hello-world query");
        }

        if (shutdown.BurnsStopping.IsCancellationRequested)
        {
            return ShuttingDown(context);
        }

        var result = query.Job.Workers == 0
            ? BurnResult.Nothing(query.Job.Count)
            : await BurnAsync(query.Job, context, settings, scheduler, shutdown);

        if (result is null)
        {
            return Unavailable(context, HelloMetrics.RejectedOverloaded, RetryAfterSeconds(settings), "Over capacity",
                $"This request needed {query.Job.Workers} of the {scheduler.Budget.Capacity} workers (HelloWorld__MaxBusyWorkers), " +
                $"and they did not become free within {settings.AdmissionWaitMilliseconds} ms, or {settings.MaxWaitingRequests} " +
                "requests were already waiting. Retry later.");
        }

        if (result.WorkersFailed)
        {
            return Unavailable(context, HelloMetrics.RejectedOverloaded, RetryAfterSeconds(settings), "Workers unavailable",
                $"The machine refused the worker threads for this request; {result.Completed} of {result.Requested} computations completed. Retry later.");
        }

        if (!result.IsComplete)
        {
            if (shutdown.BurnsStopping.IsCancellationRequested)
            {
                return ShuttingDown(context);
            }

            if (context.RequestAborted.IsCancellationRequested)
            {
                // Nobody is listening any more.
                return TypedResults.Empty;
            }

            HelloMetrics.RejectedDeadline.Inc();
            return TypedResults.Problem(
                statusCode: StatusCodes.Status504GatewayTimeout,
                title: "Deadline exceeded",
                detail: $"The computations were stopped after {settings.MaxRequestSeconds} s (HelloWorld__MaxRequestSeconds); " +
                    $"{result.Completed} of {result.Requested} had completed. Ask for less work (count, m) or more parallelism.");
        }

        var job = query.Job;
        var id = greetings.Next();
        HelloMetrics.Greetings.Inc();
        return TypedResults.Ok(new HelloWorldResponse(
            id,
            $"Hello, {query.Name}!",
            server.Value.InstanceName,
            new AckermannReport(
                job.N,
                job.M,
                result.Value,
                job.Count,
                job.Parallelism,
                AckermannKernel.Calls(job.N, job.M),
                Math.Round(result.Elapsed.TotalMilliseconds, 3),
                result.CpuTime is { } cpu ? Math.Round(cpu.TotalMilliseconds, 3) : null)));
    }

    /// <summary>Runs the job until it ends, the client goes away, the deadline passes, or shutdown stops burns.</summary>
    private static async Task<BurnResult?> BurnAsync(
        BurnJob job, HttpContext context, HelloWorldOptions settings, BurnScheduler scheduler, ShutdownSignal shutdown)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(settings.MaxRequestSeconds));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, deadline.Token, shutdown.BurnsStopping);
        try
        {
            return await scheduler.RunAsync(job, TimeSpan.FromMilliseconds(settings.AdmissionWaitMilliseconds), stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting for workers: nothing was burnt.
            return BurnResult.NotStarted(job.Count);
        }
    }

    private static ProblemHttpResult ShuttingDown(HttpContext context) =>
        Unavailable(context, HelloMetrics.RejectedShuttingDown, "1", "Shutting down",
            "This instance is stopping; the computations were cancelled. Retry: another instance will answer.");

    /// <summary>A 503 problem with <c>Retry-After</c>, counted under its rejection reason.</summary>
    private static ProblemHttpResult Unavailable(HttpContext context, Counter.Child reason, string retryAfterSeconds, string title, string detail)
    {
        reason.Inc();
        context.Response.Headers.RetryAfter = retryAfterSeconds;
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail);
    }

    private static string RetryAfterSeconds(HelloWorldOptions settings) =>
        Math.Max(1, (int)Math.Ceiling(settings.AdmissionWaitMilliseconds / 1000.0)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
