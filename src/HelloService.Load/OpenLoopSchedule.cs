namespace HelloService.Load;

/// <summary>
/// The send times of an open-loop run, fixed in advance by the profile alone: request k is due
/// when the demand scheduled so far covers k + 0.5 requests' worth of CPU. Answers never move a
/// send time, so a slow or rejecting service cannot slow the load down (no coordinated omission).
/// </summary>
internal sealed class OpenLoopSchedule(DemandProfile profile, double cpuMsPerRequest)
{
    private static readonly TimeSpan Precision = TimeSpan.FromTicks(10); // 1 microsecond

    private readonly double _totalRequests = profile.CpuMsBy(profile.Duration) / cpuMsPerRequest;
    private TimeSpan _last = TimeSpan.Zero;
    private long _issued;

    public DemandProfile Profile => profile;

    /// <summary>Requests the whole run will send (rounded as the schedule rounds).</summary>
    public long TotalRequests => (long)Math.Floor(_totalRequests + 0.5);

    /// <summary>The next send time, or false when the run has sent everything it scheduled.</summary>
    public bool TryNext(out TimeSpan at)
    {
        var target = _issued + 0.5;
        if (target > _totalRequests)
        {
            at = profile.Duration;
            return false;
        }

        // The cumulative demand never decreases, so the crossing lies between the last send
        // time and the end: bisect down to a microsecond (at most ~32 steps for an hour).
        var low = _last;
        var high = profile.Duration;
        while (high - low > Precision)
        {
            var middle = low + ((high - low) / 2);
            if (profile.CpuMsBy(middle) / cpuMsPerRequest < target)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        _last = high;
        _issued++;
        at = high;
        return true;
    }
}
