using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

using HelloService.Contracts;

namespace HelloService.LoadJobs;

/// <summary>The event stream of one job: <c>GET /load/{id}/events</c>.</summary>
internal static partial class LoadJobEndpoints
{
    /// <summary>
    /// A 'progress' event at once and then every second while the job runs, and one 'end' event
    /// when it ends. The stream ends when the job does or when the client goes away.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<LoadJobView>> Events(LoadJob job, LoadJobRegistry registry, [EnumeratorCancellation] CancellationToken clientGone)
    {
        while (job.IsRunning)
        {
            yield return new SseItem<LoadJobView>(LoadJobViews.Of(job, registry), "progress");
            if (!await WaitForEndOrNextEventAsync(job, clientGone))
            {
                yield break;
            }
        }

        yield return new SseItem<LoadJobView>(LoadJobViews.Of(job, registry), "end");
    }

    /// <summary>False when the client went away.</summary>
    private static async Task<bool> WaitForEndOrNextEventAsync(LoadJob job, CancellationToken clientGone)
    {
        try
        {
            await job.ThreadsEnded.WaitAsync(EventInterval, clientGone);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }
}
