using System.Diagnostics;

using HelloService.Memory;
using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>What a start request did, one case per outcome.</summary>
internal abstract record LoadJobStart
{
    private LoadJobStart()
    {
    }

    public sealed record Started(LoadJob Job) : LoadJobStart;

    /// <summary><paramref name="Max"/> jobs were already running.</summary>
    public sealed record TooManyJobs(int Max) : LoadJobStart;

    /// <summary>The budget could not hold the job's workers within the admission wait.</summary>
    public sealed record NotAdmitted(int Workers, int Capacity) : LoadJobStart;

    /// <summary>The job's workers would take the load jobs beyond their share of the budget (<paramref name="Held"/> of <paramref name="Share"/> held).</summary>
    public sealed record OverShare(int Workers, int Held, int Share) : LoadJobStart;

    /// <summary>The machine refused every worker thread.</summary>
    public sealed record WorkersRefused : LoadJobStart;

    public sealed record ShuttingDown : LoadJobStart;

    /// <summary>The memory is not there now (<paramref name="Ever"/>: it never could be); <paramref name="Detail"/> names the figures.</summary>
    public sealed record MemoryRefused(string Detail, bool Ever) : LoadJobStart;
}
