using System.Diagnostics;

namespace HelloService.LoadJobs;

/// <summary>
/// A job's CPU time at recent moments (a ring of samples), enough to say what it achieved over
/// the last ten seconds without keeping anything that grows with the job's length.
/// </summary>
internal sealed class CpuHistory(long startTimestamp)
{
    private const int Capacity = 128;
    private readonly Lock _gate = new();
    private readonly (long Timestamp, long CpuTicks)[] _samples = new (long, long)[Capacity];
    private int _count;
    private int _next;

    public void Add(long timestamp, long cpuTicks)
    {
        lock (_gate)
        {
            _samples[_next] = (timestamp, cpuTicks);
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>
    /// Millicores between the latest sample at least <paramref name="span"/> before
    /// <paramref name="endTimestamp"/> (or the start, if none is that old) and the end, when the
    /// CPU time was <paramref name="endCpuTicks"/>.
    /// </summary>
    public double Millicores(long endTimestamp, long endCpuTicks, TimeSpan span)
    {
        var from = (Timestamp: startTimestamp, CpuTicks: 0L);
        var latest = endTimestamp - (long)(span.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                var sample = _samples[(_next - 1 - i + Capacity) % Capacity];
                if (sample.Timestamp <= latest)
                {
                    from = sample;
                    break;
                }
            }
        }

        var wall = Stopwatch.GetElapsedTime(from.Timestamp, endTimestamp);
        return wall <= TimeSpan.FromMilliseconds(10) ? 0 : Math.Round((endCpuTicks - from.CpuTicks) / (double)wall.Ticks * 1000, 1);
    }
}
