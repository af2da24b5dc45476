namespace HelloService.Contracts;

/// <summary>A load job as the API shows it: a CPU job (<c>kind</c> <c>cpu</c>) or a memory job (<c>memory</c>).</summary>
/// <param name="Millicores">A CPU job's target, as last set (0 for a memory job).</param>
/// <param name="State"><c>running</c>, <c>completed</c> (ran all its seconds) or <c>cancelled</c> (deleted, or shutdown).</param>
/// <param name="EndsAt">When it ends (or ended) if not stopped early.</param>
/// <param name="EndedAt">When it really ended; null while it runs.</param>
/// <param name="Workers">Worker threads burning for it now.</param>
/// <param name="AchievedMillicores">What its workers' thread CPU clocks say it achieved (up to its end, once ended).</param>
/// <param name="CpuMs">CPU time its workers have used so far.</param>
/// <param name="Host">The instance that holds it (<c>Server__InstanceName</c>).</param>
/// <param name="Kind"><c>cpu</c> or <c>memory</c>.</param>
/// <param name="Mebibytes">A memory job's target, as last set; null for a CPU job.</param>
/// <param name="HeldMiB">The memory a memory job holds now (resident); null for a CPU job.</param>
/// <param name="RampSeconds">A memory job's ramp from 0 to its target; null when it has none.</param>
public sealed record LoadJobView(
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
    string Host,
    string Kind = "cpu",
    int? Mebibytes = null,
    int? HeldMiB = null,
    int? RampSeconds = null);

/// <summary>Millicores achieved over the last second and the last ten seconds (or since start, if shorter).</summary>
public sealed record AchievedMillicores(double Last1s, double Last10s);
