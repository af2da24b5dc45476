namespace HelloService.Workers;

/// <summary>Why a burn stopped before its work was done.</summary>
internal enum StopReason
{
    /// <summary>Nobody waits for the answer any more (the client went away).</summary>
    ClientGone = 1,

    /// <summary>The job's deadline passed.</summary>
    Deadline,

    /// <summary>The instance is shutting down.</summary>
    Shutdown,

    /// <summary>A worker thread failed; the others were stopped with it.</summary>
    WorkerFailed,
}
