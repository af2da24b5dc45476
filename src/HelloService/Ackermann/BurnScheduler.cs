using System.Diagnostics;

using HelloService.Metrics;

namespace HelloService.Ackermann;

/// <summary>What one request asks to burn.</summary>
internal readonly record struct BurnJob(int N, int M, int Count, int Parallelism)
{
    /// <summary>Threads the job runs on: never more than its parallelism, never idle ones.</summary>
    public int Workers => Math.Min(Count, Parallelism);
}

/// <summary>How a burn ended.</summary>
internal sealed record BurnResult(
    int? Value,
    int Requested,
    int Completed,
    int Cancelled,
    TimeSpan Elapsed,
    TimeSpan? CpuTime,
    int PeakConcurrency,
    bool WorkersFailed = false)
{
    /// <summary>True when every requested computation ran to the end.</summary>
    public bool IsComplete => Completed == Requested;

    /// <summary>A job that needed no worker (count 0): complete, nothing computed.</summary>
    public static BurnResult Nothing(int requested) => new(null, requested, 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0);

    /// <summary>A job stopped before it got its workers: nothing computed, not complete.</summary>
    public static BurnResult NotStarted(int requested) => new(null, requested, 0, 0, TimeSpan.Zero, null, 0);
}

/// <summary>
/// Runs a request's Ackermann computations on dedicated threads, off the ASP.NET Core thread
/// pool, so that probes and scrapes keep answering while every core burns. Each admitted job
/// gets exactly <see cref="BurnJob.Workers"/> threads that take computations from a shared
/// counter; the threads lower their own priority, have a stack sized for the deepest
/// recursion the limits allow, and end with the job, which gives its workers back to the
/// <see cref="WorkerBudget"/>.
/// </summary>
internal sealed class BurnScheduler(WorkerBudget budget, int workerNice, long stackBytes, ILogger<BurnScheduler> logger)
{
    private int _busyWorkers;
    private int _niceFailures;

    /// <summary>Worker threads burning right now.</summary>
    public int BusyWorkers => Volatile.Read(ref _busyWorkers);

    public WorkerBudget Budget => budget;

    /// <summary>
    /// Admits the job (waiting at most <paramref name="admissionWait"/> for its workers), runs
    /// it, and completes when every worker thread has stopped. Returns null when the job was
    /// not admitted in time. <paramref name="cancellationToken"/> stops the computations; the
    /// result then counts them as cancelled.
    /// </summary>
    public async Task<BurnResult?> RunAsync(BurnJob job, TimeSpan admissionWait, CancellationToken cancellationToken)
    {
        if (job.Workers == 0)
        {
            return BurnResult.Nothing(job.Count);
        }

        var lease = await budget.TryAcquireAsync(job.Workers, admissionWait, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return null;
        }

        var run = new Run(job, lease);
        using (cancellationToken.UnsafeRegister(static state => ((Run)state!).Cancel.Cancel(), run))
        {
            StartWorkers(run);
            await run.Done.Task.ConfigureAwait(false);
        }

        return new BurnResult(
            run.Completed > 0 ? run.Value : null,
            job.Count,
            run.Completed,
            run.CancelledCount,
            Stopwatch.GetElapsedTime(run.Started),
            run.HasCpuTime ? TimeSpan.FromTicks(Interlocked.Read(ref run.CpuTicks)) : null,
            run.Peak,
            run.WorkersFailed);
    }

    private void StartWorkers(Run run)
    {
        var started = 0;
        try
        {
            for (; started < run.Job.Workers; started++)
            {
                var thread = new Thread(Work, checked((int)stackBytes))
                {
                    IsBackground = true,
                    Name = "ackermann",
                };
                thread.Start(run);
            }
        }
        catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
        {
            // The machine refused a thread. The ones already started take the remaining work
            // from the shared counter; with none started, the job fails without killing anything.
            logger.LogError(e, "Could start only {Started} of {Workers} worker threads", started, run.Job.Workers);
            if (started == 0)
            {
                run.WorkersFailed = true;
            }

            FinishWorkers(run, run.Job.Workers - started);
        }
    }

    private void Work(object? state)
    {
        var run = (Run)state!;
        if (!NativeThread.TrySetCurrentThreadNice(workerNice) && Interlocked.Increment(ref _niceFailures) == 1)
        {
            logger.LogWarning("Could not lower worker thread priority to nice {Nice}; probes may slow down under load", workerNice);
        }

        var cpuAtStart = NativeThread.CurrentThreadCpuTime();
        Interlocked.Increment(ref _busyWorkers);
        HelloMetrics.WorkersBusy.Inc();
        try
        {
            var (n, m, count, _) = run.Job;
            while (!run.Cancel.IsCancellationRequested && Interlocked.Increment(ref run.Next) <= count)
            {
                HelloMetrics.ComputationsStarted.Inc();
                var running = Interlocked.Increment(ref run.Running);
                InterlockedMax(ref run.Peak, running);
                var startedAt = Stopwatch.GetTimestamp();
                var value = AckermannKernel.Compute(n, m, run.Cancel);
                Interlocked.Decrement(ref run.Running);

                if (value == AckermannKernel.Cancelled)
                {
                    Interlocked.Increment(ref run.CancelledCount);
                    HelloMetrics.ComputationsCancelled.Inc();
                    break;
                }

                run.Value = value;
                Interlocked.Increment(ref run.Completed);
                HelloMetrics.ComputationsCompleted.Inc();
                HelloMetrics.Calls.Inc(AckermannKernel.Calls(n, m));
                HelloMetrics.ComputationDuration.Observe(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
            }
        }
        catch (Exception e)
        {
            // Nothing may escape a thread: an unhandled exception would end the process.
            logger.LogError(e, "Ackermann worker failed");
            run.WorkersFailed = true;
            run.Cancel.Cancel();
        }
        finally
        {
            HelloMetrics.WorkersBusy.Dec();
            Interlocked.Decrement(ref _busyWorkers);
            if (cpuAtStart is { } before && NativeThread.CurrentThreadCpuTime() is { } after)
            {
                Interlocked.Add(ref run.CpuTicks, (after - before).Ticks);
                run.HasCpuTime = true;
            }

            FinishWorkers(run, 1);
        }
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
    private sealed class Run(BurnJob job, WorkerBudget.Lease lease)
    {
        public readonly BurnJob Job = job;
        public readonly WorkerBudget.Lease Lease = lease;
        public readonly BurnCancellation Cancel = new();
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly long Started = Stopwatch.GetTimestamp();
        public int WorkersLeft = job.Workers;
        public int Next;
        public int Running;
        public int Peak;
        public int Completed;
        public int CancelledCount;
        public volatile int Value;
        public long CpuTicks;
        public volatile bool HasCpuTime;
        public volatile bool WorkersFailed;
    }
}
