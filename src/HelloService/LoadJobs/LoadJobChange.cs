namespace HelloService.LoadJobs;

/// <summary>What a change of target did, one case per outcome.</summary>
internal abstract record LoadJobChange(LoadJob Job)
{
    public sealed record Changed(LoadJob Job) : LoadJobChange(Job);

    /// <summary>The job had already ended.</summary>
    public sealed record NotRunning(LoadJob Job) : LoadJobChange(Job);

    /// <summary>The memory for the new target is not there now (<paramref name="Ever"/>: it never could be); the target is unchanged.</summary>
    public sealed record MemoryRefused(LoadJob Job, string Detail, bool Ever) : LoadJobChange(Job);

    /// <summary>The budget could not hold <paramref name="Workers"/> more workers now; the target is unchanged.</summary>
    public sealed record NotAdmitted(LoadJob Job, int Workers, int Capacity) : LoadJobChange(Job);

    /// <summary>
    /// <paramref name="Workers"/> more would take the load jobs beyond their share of the budget
    /// (<paramref name="Held"/> of <paramref name="Share"/> held); the target is unchanged.
    /// </summary>
    public sealed record OverShare(LoadJob Job, int Workers, int Held, int Share) : LoadJobChange(Job);
}
