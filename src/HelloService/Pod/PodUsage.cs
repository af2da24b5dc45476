using System.Diagnostics;

using HelloService.Contracts;
using HelloService.Memory;

using Microsoft.Extensions.Options;

namespace HelloService.Pod;

/// <summary>
/// How busy this pod is as the autoscaler measures it: the process's CPU time over the last
/// <see cref="PodOptions.WindowSeconds"/>, sampled once a second, divided by the CPU request; and
/// the container's working set (cgroup usage less inactive file pages; the process's resident
/// memory where no cgroup limits it) divided by the memory request.
/// </summary>
internal sealed class PodUsage : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Timestamp, TimeSpan Cpu)> _samples = new();
    private readonly PodOptions _options;
    private readonly CgroupMemory _memory;
    private readonly Timer _sampler;

    public PodUsage(IOptions<PodOptions> options, CgroupMemory memory)
    {
        _options = options.Value;
        _memory = memory;
        Sample();
        _sampler = new Timer(static s => ((PodUsage)s!).Sample(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public PodOptions Resources => _options;

    /// <summary>The pod's figures now.</summary>
    public PodView View()
    {
        var cpu = CpuMillicores();
        var workingSet = WorkingSetMiB();
        return new PodView(
            Math.Round(cpu, 1),
            _options.CpuRequestMillicores,
            _options.CpuRequestMillicores is { } request ? Math.Round(100 * cpu / request, 1) : null,
            Math.Round(workingSet, 1),
            _options.MemoryRequestMiB,
            _options.MemoryRequestMiB is { } memoryRequest ? Math.Round(100 * workingSet / memoryRequest, 1) : null);
    }

    /// <summary>Millicores the process used over the window (over the time since start while it is younger).</summary>
    public double CpuMillicores()
    {
        var now = (Timestamp: Stopwatch.GetTimestamp(), Cpu: Environment.CpuUsage.TotalTime);
        (long Timestamp, TimeSpan Cpu) oldest;
        lock (_gate)
        {
            oldest = _samples.Peek();
        }

        var wall = Stopwatch.GetElapsedTime(oldest.Timestamp, now.Timestamp);
        return wall <= TimeSpan.Zero ? 0 : 1000 * (now.Cpu - oldest.Cpu).TotalSeconds / wall.TotalSeconds;
    }

    /// <summary>The working set the kubelet would report, in MiB.</summary>
    public double WorkingSetMiB()
    {
        var snapshot = _memory.Read();
        if (snapshot is not null && !snapshot.Source.Contains("machine", StringComparison.Ordinal) && !snapshot.Source.StartsWith('/'))
        {
            return snapshot.WorkingSetMiB;
        }

        return Environment.WorkingSet / (double)MemorySnapshot.MiB;
    }

    public void Dispose() => _sampler.Dispose();

    private void Sample()
    {
        var sample = (Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > _options.WindowSeconds + 1)
            {
                _samples.Dequeue();
            }
        }
    }
}
