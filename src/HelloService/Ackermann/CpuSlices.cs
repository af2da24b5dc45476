namespace HelloService.Ackermann;

/// <summary>
/// Sizes the slices of a CPU-time job on one worker so that it stops within microseconds of
/// what it owes: A(n, m) at the job's m while the debt is large, then ever smaller m as it runs
/// out, using this thread's own measured cost per call of the recursive definition.
/// </summary>
internal struct CpuSlices(int n, int m)
{
    // Slices shorter than this (10 µs) say more about the clock read than about the kernel.
    private const long MinMeasuredTicks = 100;

    private double _ticksPerCall;

    /// <summary>The m of the next slice for a worker that still owes <paramref name="owedTicks"/> of CPU time.</summary>
    public readonly int Next(long owedTicks)
    {
        if (_ticksPerCall <= 0)
        {
            return Math.Max(0, m - 3); // about 1/64 of a full slice, to learn the cost safely
        }

        for (var slice = m; slice > 0; slice--)
        {
            if (AckermannKernel.Calls(n, slice) * _ticksPerCall <= owedTicks)
            {
                return slice;
            }
        }

        return 0;
    }

    /// <summary>Learns from a slice of size <paramref name="slice"/> that took <paramref name="ticks"/> of CPU time.</summary>
    public void Measured(int slice, long ticks)
    {
        if (ticks < MinMeasuredTicks)
        {
            return;
        }

        var perCall = (double)ticks / AckermannKernel.Calls(n, slice);
        _ticksPerCall = _ticksPerCall <= 0 ? perCall : (0.75 * _ticksPerCall) + (0.25 * perCall);
    }
}
