namespace HelloService.Load;

/// <summary>
/// Sends on the schedule: waits for each due time, then starts the request without waiting for
/// it. A request due while <c>maxInFlight</c> are open is counted as dropped, never queued, so
/// memory stays bounded and a late request never distorts the ones after it.
/// </summary>
internal sealed class OpenLoopDriver(OpenLoopSchedule schedule, ILoadClock clock, LoadStats stats, int maxInFlight)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Runs the schedule to its end or until <paramref name="stop"/>; <paramref name="send"/>
    /// gets each request's due time (latency counts from it) and must not throw.
    /// </summary>
    public void Run(Func<TimeSpan, Task> send, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && schedule.TryNext(out var due))
        {
            clock.WaitUntil(due, stop);
            if (stop.IsCancellationRequested)
            {
                break;
            }

            if (Volatile.Read(ref _inFlight) >= maxInFlight)
            {
                stats.RecordDropped();
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            stats.RecordSent(clock.Elapsed - due);
            _ = Track(send(due));
        }
    }

    private async Task Track(Task request)
    {
        try
        {
            await request.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped: not an answer, the summary counts it as unfinished.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
