using System.Globalization;

namespace HelloService.Tests.LoadJobs;

/// <summary>
/// CPU time of a process, or of some of this process's threads, in nanoseconds from /proc: the
/// sum of the threads' schedstat run time (/proc/PID/stat counts in 10 ms ticks, too coarse for a
/// 50m target over one second). A thread that ends keeps its last reading, so the sum never goes
/// back when the runtime retires an idle pool thread.
/// </summary>
internal sealed class ProcessCpu(int pid, string? threadName = null)
{
    private readonly Dictionary<string, long> _threads = [];

    /// <summary>Every thread of process <paramref name="pid"/>.</summary>
    public static ProcessCpu Of(int pid) => new(pid);

    /// <summary>The threads of this process named <paramref name="name"/> (as /proc/self/task/TID/comm shows it).</summary>
    public static ProcessCpu OwnThreads(string name) => new(Environment.ProcessId, name);

    public long Nanoseconds()
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (threadName is null || File.ReadAllText(Path.Combine(task, "comm")).TrimEnd() == threadName)
                {
                    var schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
                    _threads[task] = long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ')), CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between listing and reading: its last reading stands.
            }
        }

        return _threads.Values.Sum();
    }
}
