using System.Diagnostics;

namespace HelloService.Load;

/// <summary>
/// The real clock. It sleeps until the due time, rounded up to the next millisecond (the
/// finest a timed wait goes): a send is at most about a millisecond late on an idle machine,
/// latency still counts from the due time, and no core is spent spinning between sends.
/// </summary>
internal sealed class StopwatchClock : ILoadClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public void WaitUntil(TimeSpan at, CancellationToken stop)
    {
        var remaining = at - Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            stop.WaitHandle.WaitOne((int)Math.Ceiling(remaining.TotalMilliseconds));
        }
    }
}
