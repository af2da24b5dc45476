namespace HelloService.LoadJobs;

/// <summary>
/// The event streams open at once, per job and in total: each holds a connection of the app port
/// for as long as its job runs, so without a bound a client could hold every connection the port
/// accepts (<c>Server__MaxAppConnections</c>) and lock ordinary requests out.
/// </summary>
internal sealed class EventStreamSlots(int maxPerJob, int maxTotal)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _perJob = [];
    private int _open;

    public int MaxPerJob => maxPerJob;

    public int MaxTotal => maxTotal;

    /// <summary>Streams open right now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>A slot for a stream of job <paramref name="jobId"/>, or which bound is reached.</summary>
    public StreamAdmission TryOpen(long jobId)
    {
        lock (_gate)
        {
            if (_open >= maxTotal)
            {
                return new StreamAdmission.TooManyStreams(maxTotal);
            }

            var onJob = _perJob.GetValueOrDefault(jobId);
            if (onJob >= maxPerJob)
            {
                return new StreamAdmission.TooManyOnJob(maxPerJob);
            }

            _perJob[jobId] = onJob + 1;
            _open++;
            return new StreamAdmission.Opened(new Slot(this, jobId));
        }
    }

    private void Close(long jobId)
    {
        lock (_gate)
        {
            _open--;
            if (--_perJob[jobId] == 0)
            {
                _perJob.Remove(jobId);
            }
        }
    }

    /// <summary>An open stream's slot; given back once, however often it is disposed.</summary>
    public sealed class Slot(EventStreamSlots slots, long jobId) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                slots.Close(jobId);
            }
        }
    }
}

/// <summary>Whether an event stream may open, one case per outcome.</summary>
internal abstract record StreamAdmission
{
    private StreamAdmission()
    {
    }

    public sealed record Opened(EventStreamSlots.Slot Slot) : StreamAdmission;

    /// <summary><paramref name="Max"/> streams are open on this job.</summary>
    public sealed record TooManyOnJob(int Max) : StreamAdmission;

    /// <summary><paramref name="Max"/> streams are open on this instance.</summary>
    public sealed record TooManyStreams(int Max) : StreamAdmission;
}
