using HelloService.Memory;

namespace HelloService.LoadJobs;

/// <summary>Memory jobs: admitted against the container's memory limit, so that no job gets its own pod OOM-killed.</summary>
internal sealed partial class LoadJobRegistry
{
    /// <summary>The memory rules; null when memory jobs are not offered (tests of CPU jobs alone).</summary>
    public MemoryAdmission? Memory { get; init; }

    /// <summary>MiB the running memory jobs hold together once their ramps are over.</summary>
    public int MemoryTargetMiB
    {
        get
        {
            lock (_gate)
            {
                return MemoryTargetLocked();
            }
        }
    }

    /// <summary>Starts a memory job of <paramref name="mebibytes"/> for <paramref name="seconds"/>, if the memory and the limits allow it now.</summary>
    public LoadJobStart StartMemory(int mebibytes, int seconds, int rampSeconds)
    {
        lock (_gate)
        {
            if (IsShuttingDown)
            {
                return new LoadJobStart.ShuttingDown();
            }

            Prune();
            if (_jobs.Values.Count(j => j.IsRunning) + _starting >= _limits.MaxJobs)
            {
                return new LoadJobStart.TooManyJobs(_limits.MaxJobs);
            }

            if (MemoryRefusalLocked(mebibytes) is { } refused)
            {
                return refused;
            }

            if (LoadJob.StartMemory(Interlocked.Increment(ref _lastId), mebibytes, seconds, rampSeconds, _engine) is not { } job)
            {
                return new LoadJobStart.WorkersRefused();
            }

            _jobs[job.Id] = job;
            return new LoadJobStart.Started(job);
        }
    }

    /// <summary>Changes a memory job's target: more only if the memory allows it now.</summary>
    public LoadJobChange ChangeMemory(LoadJob job, int mebibytes)
    {
        lock (_gate)
        {
            var more = mebibytes - job.TargetMiB;
            return job.IsRunning && MemoryRefusalLocked(more) is { } refused
                ? new LoadJobChange.MemoryRefused(job, refused.Detail, refused.Ever)
                : job.ChangeMemory(mebibytes);
        }
    }

    private LoadJobStart.MemoryRefused? MemoryRefusalLocked(int moreMiB)
    {
        if (Memory is null)
        {
            return new LoadJobStart.MemoryRefused("This instance offers no memory jobs.", true);
        }

        var running = _jobs.Values.Where(j => j.IsRunning && j.Kind == LoadJobKind.Memory).ToList();
        var pending = running.Sum(j => Math.Max(0, j.TargetMiB - j.HeldMiB));
        return Memory.Refusal(moreMiB, MemoryTargetLocked(), out var ever, pending) is { } detail
            ? new LoadJobStart.MemoryRefused(detail, ever)
            : null;
    }

    private int MemoryTargetLocked() => _jobs.Values.Where(j => j.IsRunning && j.Kind == LoadJobKind.Memory).Sum(j => j.TargetMiB);
}
