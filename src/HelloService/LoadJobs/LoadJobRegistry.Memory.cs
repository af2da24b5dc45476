using HelloService.Memory;

namespace HelloService.LoadJobs;

/// <summary>
/// Memory jobs: each one's target is reserved in <see cref="Memory"/> (the one account of memory
/// held on purpose, shared with <c>memMiB</c> requests) before it is held, and given back when the
/// job shrinks or ends, so that no job gets its own pod OOM-killed.
/// </summary>
internal sealed partial class LoadJobRegistry
{
    /// <summary>The memory account; null when memory jobs are not offered (tests of CPU jobs alone).</summary>
    public MemoryAdmission? Memory { get; init; }

    /// <summary>Starts a memory job of <paramref name="mebibytes"/> for <paramref name="seconds"/>, if the memory and the limits allow it now.</summary>
    public LoadJobStart StartMemory(int mebibytes, int seconds, int rampSeconds)
    {
        lock (_gate)
        {
            if (RefusalLocked() is { } refused)
            {
                return refused;
            }

            if (Reserve(mebibytes) is { } noMemory)
            {
                return noMemory;
            }

            if (LoadJob.StartMemory(Interlocked.Increment(ref _lastId), mebibytes, seconds, rampSeconds, _engine, Memory!) is not { } job)
            {
                return new LoadJobStart.WorkersRefused(); // the job gave its reservation back as it stopped
            }

            _jobs[job.Id] = job;
            return new LoadJobStart.Started(job);
        }
    }

    /// <summary>Changes a memory job's target: more only if the memory allows it now; less is given back at once.</summary>
    public LoadJobChange ChangeMemory(LoadJob job, int mebibytes)
    {
        lock (_gate)
        {
            var more = mebibytes - job.TargetMiB;
            var reserved = 0;
            if (job.IsRunning && more > 0)
            {
                if (Reserve(more) is { } refused)
                {
                    return new LoadJobChange.MemoryRefused(job, refused.Detail, refused.Ever);
                }

                reserved = more;
            }

            var change = job.ChangeMemory(mebibytes);

            // A job that ended meanwhile gave back its own target: only what was reserved here for more goes back.
            // A job that shrank gives back the difference.
            Memory?.Release(change is LoadJobChange.Changed ? Math.Max(0, -more) : reserved);
            return change;
        }
    }

    private LoadJobStart.MemoryRefused? Reserve(int mebibytes)
    {
        if (Memory is null)
        {
            return new LoadJobStart.MemoryRefused("This instance offers no memory jobs.", true);
        }

        return Memory.TryReserve(mebibytes, out var ever) is { } detail ? new LoadJobStart.MemoryRefused(detail, ever) : null;
    }
}
