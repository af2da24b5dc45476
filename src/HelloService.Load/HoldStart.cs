using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>What starting one held job came to: it runs (and is watched), or it failed and why.</summary>
internal abstract record HoldStartOutcome
{
    private HoldStartOutcome()
    {
    }

    public sealed record Running(LoadJobView Job) : HoldStartOutcome;

    /// <summary>No job runs that this command knows of; <paramref name="Message"/> says what happened to any it started.</summary>
    public sealed record Failed(string Message) : HoldStartOutcome;
}

/// <summary>
/// The <c>POST</c> that starts one held job, and what to do when its answer is not the job's:
/// a job that may run unwatched is deleted where possible, or the message says how to find it.
/// </summary>
internal static class HoldStart
{
    public static async Task<HoldStartOutcome> StartAsync(HeldJob held, CancellationToken interrupt)
    {
        var (plan, start) = (held.Plan, held.Spec.Start);
        var accepted = false; // the service answered 202
        try
        {
            // An interrupt while the start is on its way waits a little for the answer (never beyond
            // --timeout), so that the job it started can still be deleted.
            var sending = Stopwatch.StartNew();
            using var limit = new CancellationTokenSource(plan.Timeout);
            using var shorten = interrupt.UnsafeRegister(
                _ => limit.CancelAfter(TimeSpan.FromTicks(Math.Max(0, Math.Min(HeldJob.DeleteLimit.Ticks, (plan.Timeout - sending.Elapsed).Ticks)))), null);
            using var response = await held.SendAsync(HttpMethod.Post, start, limit.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var hint = response.StatusCode == HttpStatusCode.Unauthorized && plan.ApiKey is null
                    ? $" (give the key with --api-key or {LoadOptions.ApiKeyVariable})"
                    : string.Empty;
                return Failed($"the {held.Spec.Noun} was not started: POST {start.PathAndQuery}: {await held.ProblemAsync(response, limit.Token).ConfigureAwait(false)}{hint}");
            }

            accepted = true;
            held.ETag = response.Headers.ETag?.Tag;
            if (response.Headers.NonValidated.TryGetValues("Location", out var locations))
            {
                var location = locations.ToString();
                held.Url = JobLocation.Resolve(location, start, out var refusal);
                if (refusal is not null)
                {
                    return await RefuseLocationAsync(held, response, $"the service answered 202 with Location '{ServerText.Printable(location, 100)}', which {refusal}", limit.Token)
                        .ConfigureAwait(false);
                }
            }

            var job = await HeldJob.ReadJobAsync(response, limit.Token).ConfigureAwait(false);
            held.Url ??= new Uri(start, job.Id.ToString(CultureInfo.InvariantCulture));
            held.Latest = job;
            return new HoldStartOutcome.Running(job);
        }
        catch (Exception e) when (held.Url is not null && e is OperationCanceledException or HttpRequestException or IOException or JsonException)
        {
            // A job runs whose answer could not be read: stop it rather than leave it unwatched.
            var stopped = await held.DeleteAsync(held.Url).ConfigureAwait(false);
            return Failed($"{held.Spec.Noun} {held.Url.AbsolutePath} started, but its answer could not be read ({HeldJob.Reason(e)}); "
                + (stopped is null ? "deleting it failed too" : "it was deleted"));
        }
        catch (Exception e) when ((accepted && e is OperationCanceledException or HttpRequestException or IOException or JsonException)
            || e is OperationCanceledException or HttpRequestException { HttpRequestError: not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError) })
        {
            // The request may have reached the service: a job may run without anyone watching it.
            var what = accepted ? $"the service accepted the {held.Spec.Noun} but its answer could not be read ({HeldJob.Reason(e)})"
                : interrupt.IsCancellationRequested ? "interrupted before the service answered"
                : HeldJob.Reason(e);
            return Failed($"POST {start.PathAndQuery}: {what}; a job may have started anyway; {ListJobs(start)}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return Failed($"the {held.Spec.Noun} was not started: POST {start.PathAndQuery}: {HeldJob.Reason(e)}");
        }
    }

    /// <summary>
    /// A Location that is not the job's: nothing is sent to it. The job the answer names, if it
    /// names one, is deleted where it was started, so it does not run unwatched.
    /// </summary>
    private static async Task<HoldStartOutcome> RefuseLocationAsync(HeldJob held, HttpResponseMessage response, string problem, CancellationToken cancellation)
    {
        held.Url = null;
        LoadJobView? job = null;
        try
        {
            job = await HeldJob.ReadJobAsync(response, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or JsonException)
        {
            // No job in the answer either: only listing the jobs can tell whether one runs.
        }

        if (job is null)
        {
            return Failed($"{problem}; a job may have started anyway; {ListJobs(held.Spec.Start)}");
        }

        var deleted = await held.DeleteAsync(new Uri(held.Spec.Start, job.Id.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
        return Failed(deleted is null
            ? $"{problem}; deleting job {job.Id} failed, so it may run until {job.EndsAt:u}"
            : $"{problem}; job {job.Id} was deleted");
    }

    private static string ListJobs(Uri start) => $"GET {new Uri(start, ".").AbsolutePath} on the instance lists its jobs";

    private static HoldStartOutcome.Failed Failed(string message) => new(message);
}
