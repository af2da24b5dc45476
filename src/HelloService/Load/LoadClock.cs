using System.Diagnostics;

namespace HelloService.Load;

/// <summary>Time since the run started, and a way to wait for a moment of it (fake in tests).</summary>
internal interface ILoadClock
{
    TimeSpan Elapsed { get; }

    /// <summary>Returns at <paramref name="at"/> or as soon as <paramref name="stop"/> is cancelled.</summary>
    void WaitUntil(TimeSpan at, CancellationToken stop);
}

/// <summary>
/// The real clock. A plain sleep on Linux overshoots by 50-100 us and sometimes by milliseconds,
/// so it sleeps until about a millisecond before the due time and yields the rest: the schedule
/// is kept to well under a millisecond at the cost of a little CPU near each send time.
/// </summary>
internal sealed class StopwatchClock : ILoadClock
{
    private static readonly TimeSpan SleepMargin = TimeSpan.FromMilliseconds(1.5);

    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public void WaitUntil(TimeSpan at, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var remaining = at - Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining > SleepMargin)
            {
                stop.WaitHandle.WaitOne(remaining - SleepMargin);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
