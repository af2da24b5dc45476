namespace HelloService.Workers;

/// <summary>
/// The engine every kind of load runs on, and the only place that makes worker threads:
/// <c>/hello-world</c> burns and load jobs alike lease their workers from one
/// <see cref="WorkerBudget"/>, and each worker is a dedicated thread (off the ASP.NET Core thread
/// pool, so probes and scrapes keep answering while every core burns) that lowers its own
/// priority, has the stack its work needs, is counted as busy while it lives, and gives its
/// worker back to the budget as it ends, whatever ends it.
/// </summary>
internal sealed class WorkerThreads(WorkerBudget budget, IBurnObserver observer, WorkerThreads.Settings settings, ILogger<WorkerThreads> logger)
{
    private readonly Settings _settings = settings;
    private readonly IBurnObserver _observer = observer;
    private readonly ILogger _logger = logger;
    private int _busy;
    private int _niceFailures;

    /// <summary>How worker threads are made: their nice value and the stack of the deepest recursion the limits allow.</summary>
    public readonly record struct Settings(int WorkerNice, long StackBytes);

    /// <summary>What one worker thread does: its work, what to do if the work throws, and what to do once it has ended.</summary>
    public readonly record struct Body(Action Work, Action<Exception>? Failed, Action Ended);

    public WorkerBudget Budget => budget;

    public IBurnObserver Observer => _observer;

    /// <summary>The stack size for the deepest recursion the limits allow.</summary>
    public long StackBytes => _settings.StackBytes;

    /// <summary>Worker threads alive right now, of every kind of load.</summary>
    public int BusyWorkers => Volatile.Read(ref _busy);

    /// <summary>
    /// Starts <paramref name="count"/> threads named <paramref name="name"/> on workers of
    /// <paramref name="lease"/>, each running <paramref name="body"/>; each thread gives one worker
    /// back as it ends. Returns how many started: when the machine refuses a thread, the workers of
    /// it and of the ones not yet started are given back at once, and no <c>Ended</c> runs for them.
    /// Without a lease the threads do not burn (a memory job's holder sleeps between its steps):
    /// they take nothing from the budget and are not counted as busy.
    /// </summary>
    public int Start(WorkerBudget.Lease? lease, int count, string name, long stackBytes, Func<int, Body> body)
    {
        var started = 0;
        try
        {
            for (; started < count; started++)
            {
                var worker = new Worker(this, lease, body(started));
                new Thread(worker.Run, checked((int)stackBytes)) { IsBackground = true, Name = name }.Start();
            }
        }
        catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
        {
            _logger.LogError(e, "Could start only {Started} of {Workers} {Name} worker threads", started, count, name);
            lease?.Release(count - started);
        }

        return started;
    }

    /// <summary>One worker thread's life: priority, counting, the work, and the worker given back.</summary>
    private sealed class Worker(WorkerThreads engine, WorkerBudget.Lease? lease, Body body)
    {
        public void Run()
        {
            // A worker that does not burn (a memory holder) keeps the normal priority: it must hold its memory promptly, and costs little CPU.
            if (lease is not null && !NativeThread.TrySetCurrentThreadNice(engine._settings.WorkerNice) && Interlocked.Increment(ref engine._niceFailures) == 1)
            {
                engine._logger.LogWarning("Could not lower worker thread priority to nice {Nice}; probes may slow down under load", engine._settings.WorkerNice);
            }

            if (lease is not null)
            {
                Interlocked.Increment(ref engine._busy);
                engine._observer.WorkerStarted();
            }

            try
            {
                body.Work();
            }
            catch (Exception e)
            {
                // Nothing may escape a thread: an unhandled exception would end the process.
                engine._logger.LogError(e, "{Name} worker failed", Thread.CurrentThread.Name);
                body.Failed?.Invoke(e);
            }
            finally
            {
                if (lease is not null)
                {
                    engine._observer.WorkerStopped();
                    Interlocked.Decrement(ref engine._busy);
                    lease.Release(1);
                }

                body.Ended();
            }
        }
    }
}
