namespace HelloService.Load;

/// <summary>Counts by category: what one second or the whole run saw.</summary>
internal sealed class StatusTally
{
    public long Sent { get; set; }

    public long Dropped { get; set; }

    public long Ok { get; set; }

    public long Unavailable { get; set; }

    public long ClientErrors { get; set; }

    public long ServerErrors { get; set; }

    public long OtherStatuses { get; set; }

    public long TransportErrors { get; set; }

    /// <summary>CPU milliseconds the 200 answers reported.</summary>
    public double CpuMs { get; set; }

    /// <summary>Answers of any kind, transport errors included.</summary>
    public long Answered => Ok + Unavailable + ClientErrors + ServerErrors + OtherStatuses + TransportErrors;

    public void Count(in Answer answer)
    {
        switch (answer.Kind)
        {
            case AnswerKind.Ok:
                Ok++;
                CpuMs += answer.CpuMs;
                break;
            case AnswerKind.Unavailable:
                Unavailable++;
                break;
            case AnswerKind.ClientError:
                ClientErrors++;
                break;
            case AnswerKind.ServerError:
                ServerErrors++;
                break;
            case AnswerKind.OtherStatus:
                OtherStatuses++;
                break;
            default:
                TransportErrors++;
                break;
        }
    }

    public StatusTally Copy() => (StatusTally)MemberwiseClone();
}

/// <summary>What one host did over the whole run.</summary>
internal sealed class HostTotals
{
    public long Requests { get; set; }

    public double CpuMs { get; set; }

    public LatencyHistogram Latency { get; } = new();
}

/// <summary>One closed second: its counts, latencies and hosts, and the hosts of the last ten seconds.</summary>
internal sealed record SecondStats(
    StatusTally Tally,
    double? LatencyP50Ms,
    double? LatencyP99Ms,
    double? LatencyMaxMs,
    double? LagP99Ms,
    IReadOnlyDictionary<string, long> Hosts,
    IReadOnlyDictionary<string, long> HostsLast10s)
{
    /// <summary>The latest <c>pod</c> reading of each pod of <see cref="HostsLast10s"/> that sent one in the last ten seconds.</summary>
    public IReadOnlyDictionary<string, PodReading> PodReadings { get; init; } = new Dictionary<string, PodReading>();

    /// <summary>Whether any answer of the run so far carried a <c>pod</c> object.</summary>
    public bool PodViewSeen { get; init; }
}

/// <summary>
/// Everything the generator counts, from the sending thread and from every answer, behind one
/// lock (a few thousand short updates a second). Memory is fixed: two histograms for the
/// current second, one ring of ten small host maps, and per-host totals for at most
/// <see cref="HostTally.MaxHosts"/> + 2 names.
/// </summary>
internal sealed class LoadStats
{
    public const int HostWindowSeconds = 10;

    private readonly Lock _gate = new();
    private readonly HostTally _names = new();
    private readonly Queue<Dictionary<string, long>> _window = new();
    private readonly LatencyHistogram _secondLatency = new();
    private readonly LatencyHistogram _secondLag = new();
    private StatusTally _second = new();
    private Dictionary<string, long> _secondHosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PodReading Reading, long Second)> _podReadings = new(StringComparer.Ordinal);
    private long _secondIndex;
    private bool _podViewSeen;

    public StatusTally Total { get; } = new();

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram ScheduleLag { get; } = new();

    public Dictionary<string, HostTotals> Hosts { get; } = new(StringComparer.Ordinal);

    /// <summary>The first transport error's message: what a run that fails at transport level names.</summary>
    public string? FirstTransportError { get; private set; }

    /// <summary>The first answer other than 200, with its problem details: what a run that nothing succeeded in names.</summary>
    public string? FirstRefusal { get; private set; }

    /// <summary>A request went out, <paramref name="lag"/> after its due time (null in a closed loop, which has none).</summary>
    public void RecordSent(TimeSpan? lag)
    {
        lock (_gate)
        {
            _second.Sent++;
            Total.Sent++;
            if (lag is { } late)
            {
                _secondLag.Record(late);
                ScheduleLag.Record(late);
            }
        }
    }

    public void RecordDropped()
    {
        lock (_gate)
        {
            _second.Dropped++;
            Total.Dropped++;
        }
    }

    public void RecordAnswer(in Answer answer, TimeSpan latency)
    {
        lock (_gate)
        {
            _second.Count(answer);
            Total.Count(answer);
            if (answer.Problem is { } problem)
            {
                if (answer.Kind == AnswerKind.TransportError)
                {
                    FirstTransportError ??= problem;
                }
                else
                {
                    FirstRefusal ??= problem;
                }
            }

            if (answer.Kind == AnswerKind.TransportError)
            {
                return; // no latency for what never answered: it would only show the timeout
            }

            _secondLatency.Record(latency);
            Latency.Record(latency);
            if (answer.Kind != AnswerKind.Ok)
            {
                return;
            }

            var host = _names.Canonical(answer.Host);
            _secondHosts[host] = _secondHosts.GetValueOrDefault(host) + 1;
            if (!Hosts.TryGetValue(host, out var totals))
            {
                Hosts[host] = totals = new HostTotals();
            }

            totals.Requests++;
            totals.CpuMs += answer.CpuMs;
            if (answer.Pod is { } reading)
            {
                _podReadings[host] = (reading, _secondIndex);
                _podViewSeen = true;
            }

            totals.Latency.Record(latency);
        }
    }

    /// <summary>Ends the current second: returns what it saw and starts the next one empty.</summary>
    public SecondStats CloseSecond()
    {
        lock (_gate)
        {
            _window.Enqueue(_secondHosts);
            while (_window.Count > HostWindowSeconds)
            {
                _window.Dequeue();
            }

            var last10s = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var second in _window)
            {
                foreach (var (host, count) in second)
                {
                    last10s[host] = last10s.GetValueOrDefault(host) + count;
                }
            }

            var closed = new SecondStats(
                _second,
                _secondLatency.PercentileMs(0.50),
                _secondLatency.PercentileMs(0.99),
                _secondLatency.MaxMs,
                _secondLag.PercentileMs(0.99),
                _secondHosts,
                last10s)
            {
                PodReadings = last10s.Keys
                    .Where(h => _podReadings.TryGetValue(h, out var r) && r.Second > _secondIndex - HostWindowSeconds)
                    .ToDictionary(h => h, h => _podReadings[h].Reading, StringComparer.Ordinal),
                PodViewSeen = _podViewSeen,
            };
            _secondIndex++;
            _second = new StatusTally();
            _secondHosts = new Dictionary<string, long>(StringComparer.Ordinal);
            _secondLatency.Clear();
            _secondLag.Clear();
            return closed;
        }
    }

    /// <summary>Runs <paramref name="read"/> under the lock, for the final summary.</summary>
    public T Read<T>(Func<LoadStats, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }
}
