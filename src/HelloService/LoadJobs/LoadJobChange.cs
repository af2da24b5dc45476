namespace HelloService.LoadJobs;

/// <summary>What a change of target did, one case per outcome.</summary>
internal abstract record LoadJobChange(LoadJob Job)
{
    public sealed record Changed(LoadJob Job) : LoadJobChange(Job);

    /// <summary>The job had already ended.</summary>
    public sealed record NotRunning(LoadJob Job) : LoadJobChange(Job);

    /// <summary>The budget could not hold <paramref name="Workers"/> more workers now; the target is unchanged.</summary>
    public sealed record NotAdmitted(LoadJob Job, int Workers, int Capacity) : LoadJobChange(Job);
}
