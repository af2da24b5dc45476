namespace HelloService.LoadJobs;

/// <summary>A load job as the API shows it.</summary>
/// <param name="Millicores">The target, as last set.</param>
/// <param name="State"><c>running</c>, <c>completed</c> (ran all its seconds) or <c>cancelled</c> (deleted, or shutdown).</param>
/// <param name="EndsAt">When it ends (or ended) if not stopped early.</param>
/// <param name="EndedAt">When it really ended; null while it runs.</param>
/// <param name="Workers">Worker threads burning for it now.</param>
/// <param name="AchievedMillicores">What its workers' thread CPU clocks say it achieved (up to its end, once ended).</param>
/// <param name="CpuMs">CPU time its workers have used so far.</param>
internal sealed record LoadJobView(
    long Id,
    int Millicores,
    int Seconds,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset EndsAt,
    DateTimeOffset? EndedAt,
    int Workers,
    AchievedMillicores AchievedMillicores,
    double CpuMs,
    string Host)
{
    public static LoadJobView Of(LoadJob job, LoadJobRegistry registry) => new(
        job.Id,
        job.TargetMillicores,
        job.Seconds,
        job.State switch
        {
            LoadJobState.Running => "running",
            LoadJobState.Completed => "completed",
            _ => "cancelled",
        },
        job.StartedAt,
        job.EndsAt,
        job.EndedAt,
        job.Workers,
        new AchievedMillicores(job.AchievedMillicores(TimeSpan.FromSeconds(1)), job.AchievedMillicores(TimeSpan.FromSeconds(10))),
        Math.Round(job.CpuTime.TotalMilliseconds, 1),
        registry.Instance);
}

/// <summary>Millicores achieved over the last second and the last ten seconds (or since start, if shorter).</summary>
internal sealed record AchievedMillicores(double Last1s, double Last10s);

/// <summary>The answer of <c>GET /load</c>.</summary>
internal sealed record LoadJobList(IReadOnlyList<LoadJobView> Jobs, int Running, int MaxJobs, int MaxMillicores, int MaxSeconds);
