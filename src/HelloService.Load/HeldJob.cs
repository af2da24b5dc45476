using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

using HelloService.Contracts;

namespace HelloService.Load;

/// <summary>
/// One load job that <c>--hold</c> or <c>--hold-memory</c> holds on the instance: its requests
/// (each sent with the job's entity tag, so no other instance's job is touched), its event
/// stream and its DELETE. Started by <see cref="HoldStart"/>, run by <see cref="HoldRunner"/>.
/// </summary>
internal sealed class HeldJob(HoldJobSpec spec, LoadPlan plan, HttpClient client, TextWriter error)
{
    /// <summary>Events come every second; this long without one means the stream is stuck.</summary>
    private static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The DELETE on the way out, and the wait for a start's answer after an interrupt, each take at
    /// most this long: both fit in the time a signal leaves the process (10 s, see <see cref="LoadCommand"/>).
    /// </summary>
    public static readonly TimeSpan DeleteLimit = TimeSpan.FromSeconds(3);

    private const string OnePod = "--url must reach one pod (its IP, kubectl port-forward, or a kubectl proxy pod path), not a Service that spreads requests over pods";

    public HoldJobSpec Spec => spec;

    public LoadPlan Plan => plan;

    /// <summary>The job's entity tag from the start's answer: sent as If-Match.</summary>
    public string? ETag { get; set; }

    /// <summary>The job's URL, once the start's answer named it.</summary>
    public Uri? Url { get; set; }

    /// <summary>The job's latest view: from the start's answer, then from its events.</summary>
    public LoadJobView? Latest { get; set; }

    /// <summary>
    /// Passes the job's events to <paramref name="onEvent"/> until its end event; returns the end
    /// view, or a problem when the stream could not be read. Returns neither when <paramref name="stop"/> stopped it.
    /// </summary>
    public async Task<(LoadJobView? End, string? Problem)> WatchAsync(Action<string, LoadJobView> onEvent, CancellationToken stop)
    {
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(stop);
        watchdog.CancelAfter(SilenceLimit);
        try
        {
            using var response = await SendAsync(HttpMethod.Get, new Uri(Url + "/events"), watchdog.Token, HttpCompletionOption.ResponseHeadersRead)
                .ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
            {
                return (null, $"the event stream reached an instance that does not have the {spec.Noun} ({(int)response.StatusCode}): {OnePod}");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"the {spec.Noun}'s event stream was refused: {await ProblemAsync(response, watchdog.Token).ConfigureAwait(false)}");
            }

            using var stream = new EventSizeLimit(await response.Content.ReadAsStreamAsync(watchdog.Token).ConfigureAwait(false));
            var parser = SseParser.Create(stream, (_, data) =>
                JsonSerializer.Deserialize(data, ContractsJsonContext.Default.LoadJobView) ?? throw new JsonException("an event without a job"));
            await foreach (var item in parser.EnumerateAsync(watchdog.Token).ConfigureAwait(false))
            {
                watchdog.CancelAfter(SilenceLimit);
                if (item.EventType == "end")
                {
                    return (item.Data, null);
                }

                onEvent(item.EventType, item.Data);
            }

            return (null, $"the {spec.Noun}'s event stream ended before the job did");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (null, null);
        }
        catch (OperationCanceledException)
        {
            return (null, $"no event for {SilenceLimit.TotalSeconds:0} s: the {spec.Noun}'s event stream stalled");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidOperationException or FormatException)
        {
            return (null, $"the {spec.Noun}'s event stream broke: {Reason(e)}");
        }
    }

    /// <summary>Deletes the job at <paramref name="jobUrl"/>; its last view, or null (and a line on stderr) when that failed.</summary>
    public async Task<LoadJobView?> DeleteAsync(Uri jobUrl)
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

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, CancellationToken cancellation, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(method, url);
        if (plan.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation(ApiKey.HeaderName, key);
        }

        if (ETag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ETag);
        }

        return client.SendAsync(request, completion, cancellation);
    }

    public static async Task<LoadJobView> ReadJobAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, ContractsJsonContext.Default.LoadJobView) ?? throw new JsonException("the answer is not a load job");
    }

    /// <summary>The status and problem details, with the option of this command that set each parameter the service names.</summary>
    public Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellation) =>
        ProblemAnswer.DescribeAsync(response, spec.OptionOf, cancellation);

    public static string Reason(Exception e) => e is OperationCanceledException ? "no answer in time" : ServerText.Printable(e.Message);
}
