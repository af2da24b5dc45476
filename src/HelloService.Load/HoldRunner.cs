using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization;

using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>
/// <c>load --hold M</c>: starts a load job on one instance (<c>POST /load/cpu</c>), prints its
/// event stream, and deletes the job when interrupted (Ctrl-C, SIGTERM) or when the stream fails,
/// so a job never outlives the command that started it by more than the service's own time limit.
/// Exit status: 0 when the job ran its time or was deleted on an interrupt; 1 when it could not
/// start, was cancelled by someone else, or its stream broke.
/// </summary>
internal sealed class HoldRunner(LoadPlan plan, HttpClient client, TextWriter output, TextWriter error)
{
    /// <summary>Events come every second; this long without one means the stream is stuck.</summary>
    private static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The DELETE on the way out, and the wait for a start's answer after an interrupt, each take at
    /// most this long: both fit in the time a signal leaves the process (10 s, see <see cref="LoadCommand"/>).
    /// </summary>
    private static readonly TimeSpan DeleteLimit = TimeSpan.FromSeconds(3);

    private readonly Stopwatch _sinceStart = new();

    /// <summary>The job's entity tag from the start's answer: sent as If-Match, so no other instance's job is touched.</summary>
    private string? _etag;

    public static async Task<int> RunAsync(LoadPlan plan, TextWriter output, TextWriter error, CancellationToken interrupt)
    {
        // No redirects, proxies or cookies: nothing but the given instance is contacted.
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = 64 * 1024,
        };
        return await new HoldRunner(plan, client, output, error).RunAsync(interrupt).ConfigureAwait(false);
    }

    public async Task<int> RunAsync(CancellationToken interrupt)
    {
        LoadJobView job;
        var accepted = false; // the service answered 202
        Uri? startedJob = null; // and named the job
        try
        {
            // An interrupt while the start is on its way waits a little for the answer (never beyond
            // --timeout), so that the job it started can still be deleted.
            var sending = Stopwatch.StartNew();
            using var limit = new CancellationTokenSource(plan.Timeout);
            using var shorten = interrupt.UnsafeRegister(
                _ => limit.CancelAfter(TimeSpan.FromTicks(Math.Max(0, Math.Min(DeleteLimit.Ticks, (plan.Timeout - sending.Elapsed).Ticks)))), null);
            using var response = await SendAsync(HttpMethod.Post, plan.Target, limit.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var hint = response.StatusCode == HttpStatusCode.Unauthorized && plan.ApiKey is null
                    ? $" (give the key with --api-key or {LoadOptions.ApiKeyVariable})"
                    : string.Empty;
                return Fail($"the job was not started: POST {plan.Target.PathAndQuery}: {await ProblemAsync(response, limit.Token).ConfigureAwait(false)}{hint}");
            }

            accepted = true;
            _etag = response.Headers.ETag?.Tag;
            if (response.Headers.NonValidated.TryGetValues("Location", out var locations))
            {
                var location = locations.ToString();
                startedJob = JobLocation.Resolve(location, plan.Target, out var refusal);
                if (refusal is not null)
                {
                    return await RefuseLocationAsync(response, $"the service answered 202 with Location '{ServerText.Printable(location, 100)}', which {refusal}", limit.Token)
                        .ConfigureAwait(false);
                }
            }

            job = await ReadJobAsync(response, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (startedJob is not null && e is OperationCanceledException or HttpRequestException or IOException or JsonException)
        {
            // A job runs whose answer could not be read: stop it rather than leave it unwatched.
            var stopped = await DeleteAsync(startedJob).ConfigureAwait(false);
            return Fail($"job {startedJob.AbsolutePath} started, but its answer could not be read ({Reason(e)}); "
                + (stopped is null ? "deleting it failed too" : "it was deleted"));
        }
        catch (Exception e) when ((accepted && e is OperationCanceledException or HttpRequestException or IOException or JsonException)
            || e is OperationCanceledException or HttpRequestException { HttpRequestError: not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError) })
        {
            // The request may have reached the service: a job may run without anyone watching it.
            var what = accepted ? $"the service accepted the job but its answer could not be read ({Reason(e)})"
                : interrupt.IsCancellationRequested ? "interrupted before the service answered"
                : Reason(e);
            return Fail($"POST {plan.Target.PathAndQuery}: {what}; a job may have started anyway; "
                + $"GET {new Uri(plan.Target, ".").AbsolutePath} on the instance lists its jobs");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return Fail($"the job was not started: POST {plan.Target.PathAndQuery}: {Reason(e)}");
        }

        _sinceStart.Start();
        var jobUrl = startedJob ?? new Uri(plan.Target, job.Id.ToString(CultureInfo.InvariantCulture));
        Report("started", job);
        var (last, problem) = await WatchAsync(jobUrl, interrupt).ConfigureAwait(false);
        // Exactly one line is final: the job's last event, or the error event of Fail after it.
        if (last is { State: not "running" })
        {
            var succeeded = last.State == "completed" || interrupt.IsCancellationRequested;
            Report("end", last, final: succeeded);
            return succeeded
                ? LoadCommand.Completed
                : Fail($"job {job.Id} was cancelled on the service (a DELETE from elsewhere, or the instance shutting down)");
        }

        // Interrupted, or the stream failed while the job may still run: delete it.
        var deleted = await DeleteAsync(jobUrl).ConfigureAwait(false);
        if (deleted is { State: "completed" })
        {
            Report("end", deleted, final: true); // it ended by itself just then
            return LoadCommand.Completed;
        }

        if (deleted is not null)
        {
            Report("deleted", deleted, final: problem is null);
        }

        if (problem is not null)
        {
            return Fail(deleted is null
                ? $"{problem}; deleting job {job.Id} failed too, so it may run until {job.EndsAt:u}"
                : $"{problem}; job {job.Id} was deleted");
        }

        if (deleted is null)
        {
            return Fail($"deleting job {job.Id} failed, so it may run until {job.EndsAt:u}");
        }

        return LoadCommand.Completed;
    }

    /// <summary>
    /// Prints the job's events until its end event; returns the last view, or a problem when the
    /// stream could not be read. Returns no problem when <paramref name="interrupt"/> stopped it.
    /// </summary>
    private async Task<(LoadJobView? Last, string? Problem)> WatchAsync(Uri jobUrl, CancellationToken interrupt)
    {
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        watchdog.CancelAfter(SilenceLimit);
        LoadJobView? last = null;
        try
        {
            using var response = await SendAsync(HttpMethod.Get, new Uri(jobUrl + "/events"), watchdog.Token, HttpCompletionOption.ResponseHeadersRead)
                .ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
            {
                return (null, $"the event stream reached an instance that does not have the job ({(int)response.StatusCode}): {OnePod}");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"the event stream was refused: {await ProblemAsync(response, watchdog.Token).ConfigureAwait(false)}");
            }

            using var stream = new EventSizeLimit(await response.Content.ReadAsStreamAsync(watchdog.Token).ConfigureAwait(false));
            var parser = SseParser.Create(stream, (_, data) =>
                JsonSerializer.Deserialize(data, ContractsJsonContext.Default.LoadJobView) ?? throw new JsonException("an event without a job"));
            await foreach (var item in parser.EnumerateAsync(watchdog.Token).ConfigureAwait(false))
            {
                watchdog.CancelAfter(SilenceLimit);
                last = item.Data;
                if (item.EventType == "end")
                {
                    return (last, null);
                }

                Report(item.EventType, last);
            }

            return (null, "the event stream ended before the job did");
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return (null, null);
        }
        catch (OperationCanceledException)
        {
            return (null, $"no event for {SilenceLimit.TotalSeconds:0} s: the event stream stalled");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidOperationException or FormatException)
        {
            return (null, $"the event stream broke: {Reason(e)}");
        }
    }

    private async Task<LoadJobView?> DeleteAsync(Uri jobUrl)
    {
        try
        {
            using var limit = new CancellationTokenSource(DeleteLimit < plan.Timeout ? DeleteLimit : plan.Timeout);
            using var response = await SendAsync(HttpMethod.Delete, jobUrl, limit.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await ReadJobAsync(response, limit.Token).ConfigureAwait(false);
            }

            var problem = await ProblemAsync(response, limit.Token).ConfigureAwait(false);
            error.WriteLine(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed
                ? $"hello-load: DELETE {jobUrl.AbsolutePath} reached an instance that does not have the job ({(int)response.StatusCode}): {OnePod}"
                : $"hello-load: DELETE {jobUrl.AbsolutePath}: {problem}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or JsonException)
        {
            error.WriteLine($"hello-load: DELETE {jobUrl.AbsolutePath}: {Reason(e)}");
        }

        return null;
    }

    private const string OnePod = "--url must reach one pod (its IP, kubectl port-forward, or a kubectl proxy pod path), not a Service that spreads requests over pods";

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, CancellationToken cancellation, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(method, url);
        if (plan.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation(ApiKey.HeaderName, key);
        }

        if (_etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", _etag);
        }

        return client.SendAsync(request, completion, cancellation);
    }

    private static async Task<LoadJobView> ReadJobAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, ContractsJsonContext.Default.LoadJobView) ?? throw new JsonException("the answer is not a load job");
    }

    /// <summary>The status and problem details, with the option of this command that set each parameter the service names.</summary>
    private static Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellation) =>
        ProblemAnswer.DescribeAsync(response, parameter => parameter switch
        {
            "millicores" => " (--hold)",
            "seconds" => " (--duration)",
            _ => string.Empty,
        }, cancellation);

    /// <summary>
    /// A Location that is not the job's: nothing is sent to it. The job the answer names, if it
    /// names one, is deleted where it was started, so it does not run unwatched.
    /// </summary>
    private async Task<int> RefuseLocationAsync(HttpResponseMessage response, string problem, CancellationToken cancellation)
    {
        LoadJobView? job = null;
        try
        {
            job = await ReadJobAsync(response, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or JsonException)
        {
            // No job in the answer either: only listing the jobs can tell whether one runs.
        }

        if (job is null)
        {
            return Fail($"{problem}; a job may have started anyway; GET {new Uri(plan.Target, ".").AbsolutePath} on the instance lists its jobs");
        }

        var deleted = await DeleteAsync(new Uri(plan.Target, job.Id.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
        return Fail(deleted is null
            ? $"{problem}; deleting job {job.Id} failed, so it may run until {job.EndsAt:u}"
            : $"{problem}; job {job.Id} was deleted");
    }

    private void Report(string eventType, LoadJobView job, bool final = false)
    {
        if (plan.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new HoldEvent(eventType, _sinceStart.Elapsed.TotalSeconds, job, final), LoadJsonContext.Default.HoldEvent));
        }
        else
        {
            output.WriteLine(eventType switch
            {
                "started" => $"load: {plan.Describe()}: job {job.Id} on {Printable(job.Host)}, {job.Workers} worker(s), until {job.EndsAt:HH:mm:ss}Z; Ctrl-C deletes it",
                "progress" => Invariant($"{_sinceStart.Elapsed.TotalSeconds,5:0}s target {job.Millicores,5}m achieved {job.AchievedMillicores.Last1s,6:0}m (1 s) {job.AchievedMillicores.Last10s,6:0}m (10 s) | workers {job.Workers} | cpu {job.CpuMs / 1000,8:0.0} s | {Printable(job.Host)}"),
                _ => Invariant($"job {job.Id} {(eventType == "deleted" ? "deleted" : Printable(job.State))} after {Ran(job).TotalSeconds:0.0} s on {Printable(job.Host)}: target {job.Millicores}m, achieved {job.AchievedMillicores.Last10s:0}m over its last 10 s, {job.CpuMs / 1000:0.0} s of CPU"),
            });
        }

        output.Flush();
    }

    private static TimeSpan Ran(LoadJobView job) => (job.EndedAt ?? job.EndsAt) - job.StartedAt;

    private int Fail(string message)
    {
        // Parts of it came from the server; all of it goes to a terminal.
        message = ServerText.Printable(message, 4 * ServerText.MaxLength);
        error.WriteLine($"hello-load: {message}");
        if (plan.Json)
        {
            // A script reading the stream learns of the failure from the stream too, as its final line.
            output.WriteLine(JsonSerializer.Serialize(new HoldEvent("error", _sinceStart.Elapsed.TotalSeconds, null, true, message), LoadJsonContext.Default.HoldEvent));
            output.Flush();
        }

        return LoadCommand.Failed;
    }

    private static string Reason(Exception e) => e is OperationCanceledException ? "no answer in time" : ServerText.Printable(e.Message);

    /// <summary>A job's text field as the server sent it, safe for a terminal; a pod's host name is at most 63 characters.</summary>
    private static string Printable(string? text) => ServerText.Printable(text, 63);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One NDJSON line of <c>load --hold --json</c>: <c>started</c>, <c>progress</c>, then <c>end</c>,
/// <c>deleted</c> or <c>error</c> (final; an error has a message and, when no job was read, no job).
/// </summary>
internal sealed record HoldEvent(
    string Event,
    double ElapsedSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LoadJobView? Job,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Final,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);
