using System.Diagnostics;

using HelloService.Ackermann;
using HelloService.Workers;

namespace HelloService.Burn;

/// <summary>
/// Runs a request's Ackermann computations on the workers of the engine (<see cref="WorkerThreads"/>):
/// each admitted burn gets <see cref="BurnJob.Workers"/> threads that take work from a shared
/// counter (whole computations, or CPU time measured on each thread's own CPU clock) and end
/// with the burn.
/// </summary>
internal sealed class BurnScheduler(WorkerThreads workers)
{
    private readonly IBurnObserver _observer = workers.Observer;

    /// <summary>Worker threads burning right now, for requests and load jobs alike.</summary>
    public int BusyWorkers => workers.BusyWorkers;

    public WorkerBudget Budget => workers.Budget;

    /// <summary>
    /// Admits the job (waiting at most <paramref name="admissionWait"/> for its workers), runs
    /// it until its work is done or one of <paramref name="stops"/> fires, and completes when
    /// every worker thread has stopped.
    /// </summary>
    public async Task<BurnOutcome> RunAsync(BurnJob job, StopSources stops, TimeSpan admissionWait)
    {
        if (stops.AlreadyFired is { } fired)
        {
            return new BurnOutcome.Stopped(fired, BurnReport.Nothing);
        }

        if (job.Workers == 0)
        {
            return new BurnOutcome.Completed(BurnReport.Nothing);
        }

        using var stop = new BurnStop(stops);
        var started = Stopwatch.GetTimestamp();
        WorkerBudget.Lease? lease;
        try
        {
            lease = await workers.Budget.TryAcquireAsync(job.Workers, admissionWait, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.Reason is { } reason)
        {
            return new BurnOutcome.Stopped(reason, BurnReport.Nothing);
        }

        if (lease is null)
        {
            return new BurnOutcome.NotAdmitted(job.Workers, workers.Budget.Capacity);
        }

        _observer.JobAdmitted(job.CpuTime);
        var run = new Run(job, lease, stop);
        if (StartWorkers(run) == 0)
        {
            return new BurnOutcome.WorkersRefused();
        }

        await run.Done.Task.ConfigureAwait(false);
        var report = new BurnReport(
            run.Completed,
            run.Completed > 0 && run.HasValue ? run.Value : null,
            run.Workers,
            run.Peak,
            Stopwatch.GetElapsedTime(started),
            run.HasCpuTime ? TimeSpan.FromTicks(Interlocked.Read(ref run.CpuTicks)) : null,
            run.Completed > 0 ? AckermannKernel.Calls(job.N, job.M) : null);
        return run.IsDone || stop.Reason is not { } why
            ? new BurnOutcome.Completed(report)
            : new BurnOutcome.Stopped(why, report);
    }

    /// <summary>Starts the job's threads; returns how many started (the others' budget is given back by the engine).</summary>
    private int StartWorkers(Run run)
    {
        var wanted = run.Job.Workers;
        run.Workers = wanted;
        var started = workers.Start(run.Lease, wanted, "ackermann", workers.StackBytes, i => new WorkerThreads.Body(
            () => Work(run),
            _ => run.Stop.Request(StopReason.WorkerFailed),
            () => FinishWorkers(run, 1)));
        if (started < wanted)
        {
            // The ones already started take the remaining work from the shared counter.
            run.Workers = started;
            FinishWorkers(run, wanted - started);
        }

        return started;
    }

    private void Work(Run run)
    {
        var clock = WorkerClock.Start();
        try
        {
            if (run.Job.CpuTime is null)
            {
                BurnComputations(run, ref clock);
            }
            else
            {
                BurnCpuTime(run, ref clock);
            }
        }
        finally
        {
            run.AddCpu(clock.Lap(), _observer);
        }
    }

    /// <summary>Whole computations taken from the job's counter until none is left.</summary>
    private void BurnComputations(Run run, ref WorkerClock clock)
    {
        var (n, m, _, count, _) = run.Job;
        while (!run.Stop.IsRequested && Interlocked.Increment(ref run.Next) <= count)
        {
            if (!Compute(run, n, m, ref clock, out _))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Chunks of CPU time claimed from the job's pool, each burnt exactly on this thread's CPU
    /// clock in slices that shrink as the chunk runs out, so the job's total meets its target
    /// within microseconds per worker, however the threads are scheduled or throttled.
    /// </summary>
    private void BurnCpuTime(Run run, ref WorkerClock clock)
    {
        var (n, m, _, _, _) = run.Job;
        var slices = new CpuSlices(n, m);
        long owed = 0;
        while (!run.Stop.IsRequested)
        {
            if (owed <= 0)
            {
                owed += run.ClaimCpu();
                if (owed <= 0)
                {
                    return;
                }
            }

            var slice = slices.Next(owed);
            if (!Compute(run, n, slice, ref clock, out var used))
            {
                return;
            }

            slices.Measured(slice, used);
            owed -= used;
        }
    }

    /// <summary>One computation, accounted, with the time it <paramref name="used"/>; false when a stop interrupted it.</summary>
    private bool Compute(Run run, int n, int m, ref WorkerClock clock, out long used)
    {
        _observer.ComputationStarted();
        var running = Interlocked.Increment(ref run.Running);
        InterlockedMax(ref run.Peak, running);
        var startedAt = Stopwatch.GetTimestamp();
        var completed = AckermannKernel.TryCompute(n, m, run.Stop, out var value);
        Interlocked.Decrement(ref run.Running);
        var lap = clock.Lap();
        used = lap.Ticks;
        run.AddCpu(lap, _observer);
        if (!completed)
        {
            _observer.ComputationCancelled();
            return false;
        }

        if (m == run.Job.M)
        {
            run.Value = value; // a shortened slice computes another value
        }

        Interlocked.Increment(ref run.Completed);
        _observer.ComputationCompleted(AckermannKernel.Calls(n, m), Stopwatch.GetElapsedTime(startedAt));
        return true;
    }

    private static void FinishWorkers(Run run, int workers)
    {
        if (workers > 0 && Interlocked.Add(ref run.WorkersLeft, -workers) == 0)
        {
            run.Lease.Dispose();
            run.Done.TrySetResult();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>The shared state of one admitted job.</summary>
    private sealed class Run(BurnJob job, WorkerBudget.Lease lease, BurnStop stop)
    {
        public readonly BurnJob Job = job;
        public readonly WorkerBudget.Lease Lease = lease;
        public readonly BurnStop Stop = stop;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Workers;
        public int WorkersLeft = job.Workers;
        public int Next;
        public int Running;
        public int Peak;
        public int Completed;
        public volatile int Value = -1;

        public bool HasValue => Value >= 0;
        public long CpuTicks;
        public volatile bool HasCpuTime;

        /// <summary>True when every computation asked for ran, or the CPU-time target was reached.</summary>
        public bool IsDone => Job.CpuTime is { } target ? Interlocked.Read(ref CpuTicks) >= target.Ticks : Completed == Job.Count;

        /// <summary>CPU time (ticks) not yet claimed by a worker.</summary>
        private long _cpuUnclaimed = job.CpuTime?.Ticks ?? 0;

        /// <summary>
        /// Claims the next chunk of the CPU-time target: a quarter of a worker's even share,
        /// from 0.5 ms to 50 ms, so the workers share the work and one that is slowed down
        /// leaves its part to the others. Zero when all of it is claimed.
        /// </summary>
        public long ClaimCpu()
        {
            var chunk = Math.Clamp((Job.CpuTime?.Ticks ?? 0) / (4L * Math.Max(1, Job.Workers)), TimeSpan.TicksPerMillisecond / 2, 50 * TimeSpan.TicksPerMillisecond);
            var left = Interlocked.Read(ref _cpuUnclaimed);
            while (left > 0)
            {
                var take = Math.Min(chunk, left);
                var seen = Interlocked.CompareExchange(ref _cpuUnclaimed, left - take, left);
                if (seen == left)
                {
                    return take;
                }

                left = seen;
            }

            return 0;
        }

        public void AddCpu((long Ticks, bool IsCpuTime) lap, IBurnObserver observer)
        {
            if (lap.Ticks <= 0)
            {
                return;
            }

            Interlocked.Add(ref CpuTicks, lap.Ticks);
            if (lap.IsCpuTime)
            {
                HasCpuTime = true;
                observer.CpuUsed(TimeSpan.FromTicks(lap.Ticks));
            }
        }
    }
}
