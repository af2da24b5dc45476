using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

using HelloService.Api;
using HelloService.Contracts;
using HelloService.HelloWorld;
using HelloService.Hosting;
using HelloService.Metrics;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HelloService.LoadJobs;

/// <summary>
/// <c>/load</c>: CPU load held by this instance as a managed job, started, watched, changed and
/// stopped over HTTP (app port, same API key rule as <c>/hello-world</c>).
/// </summary>
internal static partial class LoadJobEndpoints
{
    private static readonly TimeSpan EventInterval = TimeSpan.FromSeconds(1);

    /// <summary>A stop answers once the workers are idle; this bounds the wait if a thread is slow to end.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapLoadJobs(this IEndpointRouteBuilder app)
    {
        var load = app.MapGroup("/load")
            .AddEndpointFilterFactory(ApiKeyFilter.Create)
            .OnAppPort();
        load.MapPost("/cpu", StartCpuLoad).WithName(nameof(StartCpuLoad)).WithSummary("Starts holding millicores of CPU for seconds on this instance; answers 202 with the job and its Location.");
        load.MapMethods("/cpu", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], CpuTakesPost).ExcludeFromDescription();
        load.MapPost("/memory", MemoryJobEndpoints.StartMemoryLoad).WithName(nameof(MemoryJobEndpoints.StartMemoryLoad))
            .WithSummary("Starts holding mebibytes of memory (resident, outside the GC heap) for seconds on this instance, within the container's limit; answers 202 with the job and its Location.");
        load.MapMethods("/memory", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], CpuTakesPost).ExcludeFromDescription();
        load.MapMethods("/", HeadRequests.GetAndHead, ListLoadJobs).WithName(nameof(ListLoadJobs)).WithSummary("Every load job this instance still knows (running, and recently finished ones).");
        load.MapMethods("/{id}", HeadRequests.GetAndHead, GetLoadJob).WithName(nameof(GetLoadJob)).WithSummary("One load job: target, state, achieved millicores over the last 1 s and 10 s, CPU time used.");
        load.MapPatch("/{id}", ChangeLoadJob).WithName(nameof(ChangeLoadJob)).WithSummary("Changes the target millicores of a running job at once.");
        load.MapDelete("/{id}", StopLoadJob).WithName(nameof(StopLoadJob)).WithSummary("Stops a job; answers once its workers are idle.");
        load.MapGet("/{id}/events", StreamLoadJob).WithName(nameof(StreamLoadJob))
            .WithSummary("text/event-stream of the job's figures, one 'progress' event a second and an 'end' event when it ends.");
        return app;
    }

    private static async Task<Results<Accepted<LoadJobView>, ValidationProblem, ProblemHttpResult>> StartCpuLoad(
        HttpContext context, LoadJobRegistry registry, IOptions<HelloWorldOptions> options, HelloMetrics metrics)
    {
        var settings = options.Value;
        if (!LoadJobQuery.TryParse(context.Request.Query,
            [
                Millicores(registry),
                new("seconds", 1, settings.MaxLoadSeconds, "HelloWorld__MaxLoadSeconds", "s"),
            ],
            out var values,
            out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid /load/cpu query");
        }

        return Started(context, registry, settings, metrics, await registry.StartAsync(values[0], values[1], context.RequestAborted));
    }

    /// <summary>The answer to a start of either kind: 202 with the job, or why not.</summary>
    internal static Results<Accepted<LoadJobView>, ValidationProblem, ProblemHttpResult> Started(
        HttpContext context, LoadJobRegistry registry, HelloWorldOptions settings, HelloMetrics metrics, LoadJobStart outcome) =>
        outcome switch
        {
            LoadJobStart.Started started => Tagged(context, registry, started.Job, TypedResults.Accepted($"/load/{started.Job.Id}", LoadJobViews.Of(started.Job, registry))),
            LoadJobStart.TooManyJobs tooMany => Problems.Unavailable(context, metrics.RejectedOverloaded, settings.RetryAfterSeconds, "Too many load jobs",
                $"{tooMany.Max} load {(tooMany.Max == 1 ? "job is" : "jobs are")} already running (HelloWorld__MaxLoadJobs). Stop one, or retry when one ends."),
            LoadJobStart.OverShare over => Problems.Unavailable(context, metrics.RejectedOverloaded, settings.RetryAfterSeconds, "Load jobs' share is full",
                $"Load jobs hold {over.Held} of the {over.Share} workers they may hold together ({ShareSetting(registry)}) and this job needs {over.Workers}; " +
                "the rest is kept for /hello-world. Stop a job or lower one's target, or retry when one ends."),
            LoadJobStart.NotAdmitted refused => Problems.Unavailable(context, metrics.RejectedOverloaded, settings.RetryAfterSeconds, "Over capacity",
                $"This job needs {refused.Workers} of the {refused.Capacity} workers (HelloWorld__MaxBusyWorkers), which requests and other " +
                $"jobs hold, and they did not become free within {settings.AdmissionWaitMilliseconds} ms. Retry later."),
            LoadJobStart.WorkersRefused => Problems.Unavailable(context, metrics.RejectedOverloaded, settings.RetryAfterSeconds, "Workers unavailable",
                "The machine refused the worker threads for this job; nothing runs. Retry later."),
            LoadJobStart.ShuttingDown => Problems.Unavailable(context, metrics.RejectedShuttingDown, "1", "Shutting down",
                "This instance is stopping and starts no more load jobs. Retry: another instance will answer."),
            LoadJobStart.MemoryRefused refused => MemoryJobEndpoints.Refused(context, metrics, settings.RetryAfterSeconds, refused.Detail, refused.Ever, string.Empty),
            _ => throw new InvalidOperationException($"unexpected start outcome {outcome}"),
        };

    private static Results<Ok<LoadJobList>, ValidationProblem> ListLoadJobs(HttpContext context, LoadJobRegistry registry)
    {
        if (!LoadJobQuery.TryParse(context.Request.Query, [], out _, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid /load query");
        }

        var jobs = registry.All();
        return TypedResults.Ok(new LoadJobList(
            [.. jobs.Select(j => LoadJobViews.Of(j, registry))], jobs.Count(j => j.IsRunning), registry.Settings.MaxJobs, registry.MaxMillicores, registry.Settings.MaxSeconds));
    }

    private static Results<Ok<LoadJobView>, ValidationProblem, ProblemHttpResult> GetLoadJob(HttpContext context, string id, LoadJobRegistry registry) =>
        Find(context, id, [], registry) switch
        {
            { Invalid: { } invalid } => invalid,
            { Problem: { } missing } => missing,
            { Job: var job } => TypedResults.Ok(LoadJobViews.Of(job!, registry)),
        };

    private static async Task<Results<Ok<LoadJobView>, ValidationProblem, ProblemHttpResult>> ChangeLoadJob(
        HttpContext context, string id, LoadJobRegistry registry, IOptions<HelloWorldOptions> options, HelloMetrics metrics)
    {
        var memory = LoadJobQuery.TryParseId(id, out var jobId, out _) && registry.Find(jobId) is { Kind: LoadJobKind.Memory };
        var lookup = Find(context, id, [memory ? MemoryJobEndpoints.Mebibytes(registry) : Millicores(registry)], registry);
        if (lookup.Invalid is { } invalid)
        {
            return invalid;
        }

        if (lookup.Problem is { } missing)
        {
            return missing;
        }

        var outcome = memory ? registry.ChangeMemory(lookup.Job!, lookup.Values[0]) : registry.Change(lookup.Job!, lookup.Values[0]);
        return outcome switch
        {
            LoadJobChange.Changed changed => TypedResults.Ok(LoadJobViews.Of(changed.Job, registry)),
            LoadJobChange.NotRunning ended => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Load job has ended",
                detail: $"Load job {ended.Job.Id} is {LoadJobViews.Of(ended.Job, registry).State}; only a running job can change. Start a new one."),
            LoadJobChange.MemoryRefused refused => MemoryJobEndpoints.Refused(context, metrics, options.Value.RetryAfterSeconds, refused.Detail, refused.Ever,
                $" The job keeps its target of {refused.Job.TargetMiB} MiB."),
            LoadJobChange.OverShare over => Problems.Unavailable(context, metrics.RejectedOverloaded, options.Value.RetryAfterSeconds, "Load jobs' share is full",
                $"The new target needs {over.Workers} more workers, and load jobs hold {over.Held} of the {over.Share} they may hold together " +
                $"({ShareSetting(registry)}); the job keeps its target of {over.Job.TargetMillicores} millicores. Retry when another job ends."),
            LoadJobChange.NotAdmitted refused => Problems.Unavailable(context, metrics.RejectedOverloaded, options.Value.RetryAfterSeconds, "Over capacity",
                $"The new target needs {refused.Workers} more of the {refused.Capacity} workers (HelloWorld__MaxBusyWorkers), and they are " +
                $"held by requests and other jobs; the job keeps its target of {refused.Job.TargetMillicores} millicores. Retry later."),
            _ => throw new InvalidOperationException($"unexpected change outcome {outcome}"),
        };
    }

    private static async Task<Results<Ok<LoadJobView>, ValidationProblem, ProblemHttpResult>> StopLoadJob(HttpContext context, string id, LoadJobRegistry registry)
    {
        var lookup = Find(context, id, [], registry);
        if (lookup.Invalid is { } invalid)
        {
            return invalid;
        }

        if (lookup.Problem is { } missing)
        {
            return missing;
        }

        var job = lookup.Job!;
        job.Stop(LoadJobState.Cancelled);
        try
        {
            await job.ThreadsEnded.WaitAsync(StopWait, context.RequestAborted);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The answer shows the job as it is; the threads end within a slice regardless.
        }

        return TypedResults.Ok(LoadJobViews.Of(job, registry));
    }

    private static Results<ServerSentEventsResult<LoadJobView>, ValidationProblem, ProblemHttpResult> StreamLoadJob(
        HttpContext context, string id, LoadJobRegistry registry, IOptions<HelloWorldOptions> options, HelloMetrics metrics)
    {
        var lookup = Find(context, id, [], registry);
        if (lookup.Invalid is { } invalid)
        {
            return invalid;
        }

        if (lookup.Problem is { } missing)
        {
            return missing;
        }

        var job = lookup.Job!;
        var retryAfter = options.Value.RetryAfterSeconds;
        switch (registry.Streams.TryOpen(job.Id))
        {
            case StreamAdmission.Opened opened:
                // Given back when the answer ends, however it ends (even before the stream began).
                context.Response.RegisterForDispose(opened.Slot);
                return TypedResults.ServerSentEvents(Events(job, registry, context.RequestAborted));
            case StreamAdmission.TooManyOnJob onJob:
                return Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfter, "Too many event streams",
                    $"{onJob.Max} event streams are already open on load job {job.Id} (HelloWorld__MaxEventStreamsPerJob). " +
                    $"Close one, or poll GET /load/{job.Id} instead.");
            case StreamAdmission.TooManyStreams total:
                return Problems.Unavailable(context, metrics.RejectedOverloaded, retryAfter, "Too many event streams",
                    $"{total.Max} event streams are already open on this instance (HelloWorld__MaxEventStreams within half of " +
                    "Server__MaxAppConnections, so that streams leave room for requests). Close one, or poll GET /load/{id} instead.");
            default:
                throw new InvalidOperationException("unexpected stream admission");
        }
    }

    /// <summary>
    /// <c>/load/cpu</c> takes only POST; without this, a GET would reach <c>/load/{id}</c> and be
    /// told that 'cpu' is no job id.
    /// </summary>
    internal static ProblemHttpResult CpuTakesPost(HttpContext context)
    {
        context.Response.Headers.Allow = HttpMethods.Post;
        return TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed",
            detail: $"{context.Request.Path} takes POST (POST /load/cpu?millicores=500&seconds=60 or POST /load/memory?mebibytes=256&seconds=60 starts a load job), " +
                $"not {context.Request.Method}. GET /load lists the jobs.");
    }

    /// <summary>
    /// The job named by the route, with the query's <paramref name="parameters"/> (no others
    /// allowed); or the 400 for a malformed id or query, the 404 for an unknown id, or the 412 when
    /// an <c>If-Match</c> names another job. A found job's <c>ETag</c> goes on the answer.
    /// </summary>
    private static Lookup Find(HttpContext context, string id, LoadJobQuery.Parameter[] parameters, LoadJobRegistry registry)
    {
        var queryOk = LoadJobQuery.TryParse(context.Request.Query, parameters, out var values, out var errors);
        if (!LoadJobQuery.TryParseId(id, out var jobId, out var idErrors) || !queryOk)
        {
            foreach (var (key, messages) in idErrors)
            {
                errors[key] = messages;
            }

            return new Lookup(null, values, TypedResults.ValidationProblem(errors, title: "Invalid /load request"), null);
        }

        if (registry.Find(jobId) is not { } job)
        {
            return new Lookup(null, values, null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such load job",
                detail: $"This instance has no load job {jobId}: it never existed, or it ended more than {registry.Settings.KeepFinishedFor.TotalMinutes:F0} minutes " +
                    $"ago or before the newest {registry.Settings.KeepFinished} finished jobs. Load jobs live on the instance that started them."));
        }

        // If-Match with the ETag the start answered with: a request that reached another instance
        // (whose job of the same id is another job) changes nothing there.
        var tag = registry.ETagOf(job);
        var ifMatch = context.Request.Headers.IfMatch;
        if (ifMatch.Count > 0 && !ifMatch.Any(v => v is not null && v.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == tag)))
        {
            return new Lookup(null, values, null, TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Another load job",
                detail: $"Load job {jobId} of {registry.Instance} is not the job named by If-Match: that job lives on another instance (or an earlier run of this one). " +
                    "Send the request to the instance that started the job: a pod's own address, not a Service's."));
        }

        SetTag(context, tag);
        return new Lookup(job, values, null, null);
    }

    /// <summary>What <see cref="Find"/> found: the job, or the problem to answer with.</summary>
    private sealed record Lookup(LoadJob? Job, int[] Values, ValidationProblem? Invalid, ProblemHttpResult? Problem);

    /// <summary>Adds the job's <c>ETag</c> to the answer.</summary>
    internal static T Tagged<T>(HttpContext context, LoadJobRegistry registry, LoadJob job, T result)
    {
        SetTag(context, registry.ETagOf(job));
        return result;
    }

    /// <summary>
    /// The tag names the job, not this answer's figures, which change every second: so that no
    /// cache on the way serves old figures under it, the answer is never stored.
    /// </summary>
    private static void SetTag(HttpContext context, string tag)
    {
        context.Response.Headers.ETag = tag;
        context.Response.Headers.CacheControl = "no-store";
    }

    private static LoadJobQuery.Parameter Millicores(LoadJobRegistry registry) => new("millicores", 1, registry.MaxMillicores,
        $"the processor count ({Environment.ProcessorCount}) x 1000, within the load jobs' share of the workers x 1000 ({ShareSetting(registry)})", "m");

    private static string ShareSetting(LoadJobRegistry registry) =>
        $"HelloWorld__MaxLoadJobWorkersPercent: {Math.Min(registry.Share.Capacity, registry.Budget.Capacity)} of the {registry.Budget.Capacity} workers of HelloWorld__MaxBusyWorkers";
}
