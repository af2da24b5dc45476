using System.Diagnostics;

namespace HelloService.Workers;

/// <summary>A worker thread's CPU clock (its wall clock where CPU time cannot be read), read in laps.</summary>
internal struct WorkerClock
{
    private bool _hasCpuTime;
    private long _origin;
    private long _last;

    public static WorkerClock Start()
    {
        var clock = new WorkerClock
        {
            _hasCpuTime = NativeThread.CurrentThreadCpuTime() is not null,
            _origin = Stopwatch.GetTimestamp(),
        };
        clock._last = clock.Now();
        return clock;
    }

    /// <summary>Time used since the previous lap, in ticks, and whether it is CPU time.</summary>
    public (long Ticks, bool IsCpuTime) Lap()
    {
        var now = Now();
        var lap = now - _last;
        _last = now;
        return (lap, _hasCpuTime);
    }

    private readonly long Now() => _hasCpuTime
        ? NativeThread.CurrentThreadCpuTime().GetValueOrDefault().Ticks
        : Stopwatch.GetElapsedTime(_origin).Ticks;
}
