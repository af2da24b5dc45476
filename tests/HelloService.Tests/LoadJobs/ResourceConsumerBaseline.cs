using HelloService.Workers;

namespace HelloService.Tests.LoadJobs;

/// <summary>
/// The CPU method Kubernetes' resource-consumer publishes (test/images/resource-consumer,
/// consume-cpu): a single thread per request that compares its process's average CPU since start
/// with the target; below it, a fixed busy chunk (10^7 square roots), otherwise a 10 ms sleep.
/// Each instance is one such "process" (a thread here, whose CPU time is its process's).
/// </summary>
internal static class ResourceConsumerBaseline
{
    /// <summary>The name of the consumer threads (as /proc/self/task/TID/comm shows it), to find their CPU time.</summary>
    public const string ThreadName = "rc-consume-cpu";

    /// <summary>Runs <paramref name="threads"/> consumers sharing <paramref name="millicores"/> for <paramref name="duration"/>.</summary>
    public static Thread[] Start(int millicores, int threads, TimeSpan duration)
    {
        var share = millicores / (double)threads;
        var all = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            all[i] = new Thread(() => Consume(share, duration)) { IsBackground = true, Name = ThreadName };
            all[i].Start();
        }

        return all;
    }

    private static void Consume(double millicores, TimeSpan duration)
    {
        var begin = DateTime.UtcNow;
        var cpuAtStart = ThreadCpu();
        var sink = 0.0;
        while (DateTime.UtcNow - begin < duration)
        {
            var wall = (DateTime.UtcNow - begin).TotalSeconds;
            var average = wall <= 0 ? 0 : (ThreadCpu() - cpuAtStart).TotalSeconds / wall * 1000;
            if (average < millicores)
            {
                for (var i = 0; i < 10_000_000; i++)
                {
                    sink += Math.Sqrt(i);
                }
            }
            else
            {
                Thread.Sleep(10);
            }
        }

        GC.KeepAlive(sink);
    }

    private static TimeSpan ThreadCpu() => NativeThread.CurrentThreadCpuTime() ?? TimeSpan.Zero;
}
