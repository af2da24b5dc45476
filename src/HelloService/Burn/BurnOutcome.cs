using HelloService.Workers;

namespace HelloService.Burn;

/// <summary>How a burn ended: one case per outcome, so callers map it in one switch.</summary>
internal abstract record BurnOutcome
{
    private BurnOutcome()
    {
    }

    /// <summary>All the work was done.</summary>
    public sealed record Completed(BurnReport Report) : BurnOutcome;

    /// <summary>The workers could not be had within the admission wait, or the queue was full.</summary>
    public sealed record NotAdmitted(int Workers, int Capacity) : BurnOutcome;

    /// <summary>The machine refused every worker thread; nothing was computed.</summary>
    public sealed record WorkersRefused : BurnOutcome;

    /// <summary>Stopped part-way (or before it began) for <paramref name="Reason"/>.</summary>
    public sealed record Stopped(StopReason Reason, BurnReport Report) : BurnOutcome;
}
