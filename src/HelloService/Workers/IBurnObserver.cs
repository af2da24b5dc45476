namespace HelloService.Workers;

/// <summary>
/// What the engine reports as it works, for whoever exports it (the Metrics feature). Called on
/// worker threads: implementations must be thread-safe and cheap.
/// </summary>
internal interface IBurnObserver
{
    /// <summary>A job was admitted; <paramref name="cpuTarget"/> is its CPU-time target, if it has one.</summary>
    void JobAdmitted(TimeSpan? cpuTarget);

    void WorkerStarted();

    void WorkerStopped();

    void ComputationStarted();

    /// <summary>A computation ran to the end after <paramref name="calls"/> calls of the recursive definition.</summary>
    void ComputationCompleted(long calls, TimeSpan duration);

    void ComputationCancelled();

    /// <summary>Worker threads used <paramref name="cpuTime"/> more CPU time (reported as it accrues).</summary>
    void CpuUsed(TimeSpan cpuTime);
}
