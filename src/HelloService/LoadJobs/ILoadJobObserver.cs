namespace HelloService.LoadJobs;

/// <summary>What the load jobs report, for whoever exports it (the Metrics feature).</summary>
internal interface ILoadJobObserver
{
    /// <summary>
    /// The state of all jobs, sampled a few times a second: jobs running, their targets and
    /// what they achieved over the last second (both in millicores, summed over the jobs).
    /// </summary>
    void Sampled(int running, int targetMillicores, double achievedMillicores);

    /// <summary>What the running memory jobs hold together: their targets and what is resident now, in bytes.</summary>
    void MemorySampled(long targetBytes, long heldBytes);

    /// <summary>Load workers used <paramref name="cpuTime"/> more CPU time (thread CPU clocks).</summary>
    void LoadCpuUsed(TimeSpan cpuTime);
}
