using System.Globalization;

namespace HelloService.Tests.Load;

/// <summary>
/// A CPU cgroup of the test's own (cgroup v1 <c>cpu</c> controller, as root): a unique name, a
/// CFS quota like a pod's CPU limit, removed on dispose once its processes are gone.
/// </summary>
internal sealed class CpuCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup/cpu";

    private CpuCgroup(string path) => Path = path;

    public string Path { get; }

    /// <summary>A new cgroup limited to <paramref name="millicores"/>, or null and why not.</summary>
    public static CpuCgroup? TryCreate(int millicores, out string reason)
    {
        reason = string.Empty;
        if (!OperatingSystem.IsLinux() || !File.Exists($"{Root}/cpu.cfs_quota_us"))
        {
            reason = $"no cgroup v1 cpu controller at {Root}";
            return null;
        }

        var path = $"{Root}/helloservice-test-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllText($"{path}/cpu.cfs_period_us", "100000");
            File.WriteAllText($"{path}/cpu.cfs_quota_us", (millicores * 100).ToString(CultureInfo.InvariantCulture));
            return new CpuCgroup(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create a cgroup under {Root} ({e.Message}); run as root where the cpu controller is mounted";
            TryRemove(path);
            return null;
        }
    }

    /// <summary>
    /// CPU time (user + system, all threads) of one process, from /proc/PID/stat. The cpu
    /// controller has no usage counter of its own (cpuacct may be mounted apart), and the
    /// tests put exactly one process in the cgroup, so this is the cgroup's usage.
    /// </summary>
    public static TimeSpan ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>CFS periods in which the cgroup was throttled.</summary>
    public long Throttled => File.ReadLines($"{Path}/cpu.stat").Select(l => l.Split(' '))
        .Where(p => p[0] == "nr_throttled").Select(p => long.Parse(p[1], CultureInfo.InvariantCulture)).Single();

    public void Dispose()
    {
        // The processes are killed first (their ServiceProcess is disposed before this); rmdir
        // fails while a task is still exiting, so retry briefly.
        for (var attempt = 0; attempt < 50 && Directory.Exists(Path); attempt++)
        {
            if (!TryRemove(Path))
            {
                Thread.Sleep(100);
            }
        }
    }

    private static bool TryRemove(string path)
    {
        try
        {
            Directory.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
