namespace HelloService.LoadJobs;

/// <summary>
/// The workers load jobs together may hold: a count taken before a job's workers are leased from
/// the shared budget and given back as each of its threads ends (or is refused), so that jobs can
/// never hold the whole budget and leave <c>/hello-world</c> nothing.
/// </summary>
internal sealed class LoadJobShare(int capacity)
{
    private int _held;

    /// <summary>A share as large as any budget: no cap beyond the budget itself.</summary>
    public static LoadJobShare Unbounded => new(int.MaxValue);

    public int Capacity { get; } = capacity;

    public int Held => Volatile.Read(ref _held);

    /// <summary>Takes <paramref name="workers"/> if they fit now; false (and nothing taken) otherwise.</summary>
    public bool TryTake(int workers)
    {
        var held = Volatile.Read(ref _held);
        while (held <= Capacity - workers)
        {
            var seen = Interlocked.CompareExchange(ref _held, held + workers, held);
            if (seen == held)
            {
                return true;
            }

            held = seen;
        }

        return false;
    }

    public void Give(int workers)
    {
        if (workers > 0)
        {
            Interlocked.Add(ref _held, -workers);
        }
    }
}
