using HelloService.Memory;
using HelloService.Workers;

namespace HelloService.LoadJobs;

/// <summary>A memory job: the same lifetime, with one non-burning worker holding its MiB.</summary>
internal sealed partial class LoadJob
{
    /// <summary>
    /// Starts a memory job: one worker of the engine that does not burn (nothing is taken from the
    /// worker budget) holds <paramref name="mebibytes"/>, growing along <paramref name="rampSeconds"/>;
    /// null when the machine refused the thread.
    /// </summary>
    /// <remarks><paramref name="memory"/> already holds the job's reservation; the job gives it back as it ends.</remarks>
    public static LoadJob? StartMemory(long id, int mebibytes, int seconds, int rampSeconds, WorkerThreads engine, MemoryAdmission memory)
    {
        var holder = new MemoryHolder(mebibytes, TimeSpan.FromSeconds(rampSeconds));
        var job = new LoadJob(id, 0, seconds, engine, LoadJobShare.Unbounded, holder, memory) { RampSeconds = rampSeconds };
        lock (job._gate)
        {
            job._liveThreads = 1;
            if (engine.Start(null, 1, "memory", HolderStackBytes, _ => new WorkerThreads.Body(holder.Hold, null, job.HolderEnded)) == 0)
            {
                job._liveThreads = 0;
                job.StopLocked(LoadJobState.Cancelled);
                return null;
            }

            job._deadline.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        }

        return job;
    }

    /// <summary>Changes a memory job's target: more is held within a step of the holder, less is given back at once.</summary>
    public LoadJobChange ChangeMemory(int mebibytes)
    {
        lock (_gate)
        {
            if (!IsRunning)
            {
                return new LoadJobChange.NotRunning(this);
            }

            _holder!.TargetMiB = mebibytes;
            return new LoadJobChange.Changed(this);
        }
    }

    /// <summary>A memory job's holder has ended (and freed its memory).</summary>
    private void HolderEnded()
    {
        lock (_gate)
        {
            _liveThreads--;
            StopLocked(LoadJobState.Cancelled); // a holder ends only when told to, or when it failed
            _threadsEnded.TrySetResult();
        }
    }
}
