namespace HelloService.Contracts;

/// <summary>A load job as the API shows it.</summary>
/// <param name="Millicores">The target, as last set.</param>
/// <param name="State"><c>running</c>, <c>completed</c> (ran all its seconds) or <c>cancelled</c> (deleted, or shutdown).</param>
/// <param name="EndsAt">When it ends (or ended) if not stopped early.</param>
/// <param name="EndedAt">When it really ended; null while it runs.</param>
/// <param name="Workers">Worker threads burning for it now.</param>
/// <param name="AchievedMillicores">What its workers' thread CPU clocks say it achieved (up to its end, once ended).</param>
/// <param name="CpuMs">CPU time its workers have used so far.</param>
/// <param name="Host">The instance that holds it (<c>Server__InstanceName</c>).</param>
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
    string Host);

/// <summary>Millicores achieved over the last second and the last ten seconds (or since start, if shorter).</summary>
public sealed record AchievedMillicores(double Last1s, double Last10s);
