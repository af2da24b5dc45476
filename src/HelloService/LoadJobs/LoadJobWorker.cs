using System.Diagnostics;

using HelloService.Ackermann;
using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>
/// What one worker thread of a <see cref="LoadJob"/> does: windows of <see cref="Window"/>, each
/// burning its share of the job's target on this thread's CPU clock, then sleeping.
/// </summary>
internal sealed class LoadJobWorker(LoadJob job)
{
    /// <summary>Slices are A(3, m) with m at most this: about 0.1 ms each, so a window's quota is met closely.</summary>
    public const int SliceM = 6;

    /// <summary>The duty-cycle window: short, so a change or a pause shows within a tenth of a second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    public BurnStop Stop { get; } = new();

    public void Burn()
    {
        var cycle = new DutyCycle(Window.Ticks);
        var slices = new CpuSlices(3, SliceM);
        var period = (long)(Window.TotalSeconds * Stopwatch.Frequency);
        var clock = WorkerClock.Start();
        var windowEnd = Stopwatch.GetTimestamp() + period;
        try
        {
            while (!Stop.IsRequested)
            {
                var owed = cycle.Begin(job.MillicoresPerActiveWorker);
                long used = 0;
                while (used < owed && !Stop.IsRequested && Stopwatch.GetTimestamp() < windowEnd)
                {
                    var slice = slices.Next(owed - used);
                    AckermannKernel.TryCompute(3, slice, Stop, out _);
                    var lap = clock.Lap().Ticks;
                    used += lap;
                    job.AddCpu(lap);
                    slices.Measured(slice, lap);
                }

                cycle.End(used);
                windowEnd = Sleep(windowEnd, period);
            }
        }
        finally
        {
            job.AddCpu(clock.Lap().Ticks);
        }
    }

    /// <summary>Sleeps to the window's end; returns the next one's end (after a pause, a fresh window, without catching up).</summary>
    private long Sleep(long windowEnd, long period)
    {
        var now = Stopwatch.GetTimestamp();
        if (windowEnd > now)
        {
            Stop.Token.WaitHandle.WaitOne(Stopwatch.GetElapsedTime(now, windowEnd));
            now = windowEnd;
        }

        windowEnd += period;
        return windowEnd < now ? now + period : windowEnd;
    }
}
