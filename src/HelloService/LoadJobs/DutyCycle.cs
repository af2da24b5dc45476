namespace HelloService.LoadJobs;

/// <summary>
/// The CPU quota of one load worker, window by window: each window owes the target's share of
/// the window plus the error of the window before, and that carried error is bounded by one
/// window's quota. So a worker that was paused or throttled catches up by at most one window
/// (no burst after a pause), and one that overshot repays it at once (no drift), unlike a duty
/// cycle that steers by the average since start.
/// </summary>
internal struct DutyCycle(long periodTicks)
{
    private long _quota;
    private long _owed;
    private long _carry;

    /// <summary>The window length, in <see cref="TimeSpan"/> ticks.</summary>
    public readonly long PeriodTicks => periodTicks;

    /// <summary>The error carried into the next window (positive: owed; negative: overshot).</summary>
    public readonly long Carry => _carry;

    /// <summary>Starts a window for a worker whose share is <paramref name="millicores"/>; returns the CPU ticks it owes.</summary>
    public long Begin(double millicores)
    {
        _quota = (long)Math.Round(Math.Clamp(millicores, 0, 1000) / 1000 * periodTicks);
        _owed = Math.Max(0, _quota + Math.Clamp(_carry, -_quota, _quota)); // a debt from a higher target does not outlive it
        return _owed;
    }

    /// <summary>Ends the window in which the worker used <paramref name="usedTicks"/> of CPU time.</summary>
    public void End(long usedTicks) => _carry = Math.Clamp(_owed - usedTicks, -_quota, _quota);
}
