namespace HelloService.Workers;

/// <summary>
/// What may stop a burn, each source with the reason it stands for: the scheduler records the
/// reason of whichever fires first, so nobody has to guess afterwards which token it was.
/// </summary>
internal readonly record struct StopSources(CancellationToken ClientGone, CancellationToken Shutdown, TimeSpan? Deadline)
{
    /// <summary>The reason of a source that has already fired, if any (checked before any work).</summary>
    public StopReason? AlreadyFired =>
        Shutdown.IsCancellationRequested ? StopReason.Shutdown
        : ClientGone.IsCancellationRequested ? StopReason.ClientGone
        : null;
}
