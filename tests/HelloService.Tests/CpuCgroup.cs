using System.Globalization;

namespace HelloService.Tests;

/// <summary>
/// A cgroup v1 <c>cpu</c> group of the tests' own (unique name, removed on dispose), to emulate a
/// pod's CPU limit, and/or to give the measured processes a large <c>cpu.shares</c> so that other
/// builds on a shared machine do not decide the figures.
/// </summary>
internal sealed class CpuCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup/cpu";

    private CpuCgroup(string path) => Path = path;

    public string Path { get; }

    public string Procs => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>Why a cgroup cannot be made here, or null when it can (root, cgroup v1 cpu controller writable).</summary>
    public static string? Unavailable() =>
        !OperatingSystem.IsLinux() ? "cgroups are Linux only"
        : !File.Exists(System.IO.Path.Combine(Root, "cpu.cfs_quota_us")) ? $"no cgroup v1 cpu controller at {Root}"
        : Environment.UserName != "root" ? "creating a cgroup needs root"
        : null;

    /// <summary>Creates the group: <paramref name="millicores"/> as a CFS quota (null: no limit), and <paramref name="shares"/>.</summary>
    public static CpuCgroup Create(string purpose, int? millicores, int shares = 1024)
    {
        var path = System.IO.Path.Combine(Root, $"helloservice-test-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..60]);
        Directory.CreateDirectory(path);
        var group = new CpuCgroup(path);
        group.Write("cpu.cfs_period_us", 100_000);
        if (millicores is { } m)
        {
            group.Write("cpu.cfs_quota_us", m * 100);
        }

        group.Write("cpu.shares", shares);
        return group;
    }

    /// <summary>Creates a group limited to <paramref name="millicores"/>, or null and why not (to skip a test).</summary>
    public static CpuCgroup? TryCreate(string purpose, int millicores, out string reason)
    {
        reason = Unavailable() ?? string.Empty;
        return reason.Length == 0 ? Create(purpose, millicores) : null;
    }

    /// <summary>Periods in which the group was throttled (cpu.stat).</summary>
    public long NrThrottled() =>
        long.Parse(File.ReadLines(System.IO.Path.Combine(Path, "cpu.stat")).First(l => l.StartsWith("nr_throttled ", StringComparison.Ordinal))[13..], CultureInfo.InvariantCulture);

    /// <summary>Moves a whole process (all its threads) into the group.</summary>
    public void Add(int pid) => File.WriteAllText(Procs, pid.ToString(CultureInfo.InvariantCulture));

    public void Dispose()
    {
        // Move anything left (the test process itself, if it joined) back to the root group, then remove.
        foreach (var pid in File.ReadAllLines(Procs))
        {
            try
            {
                File.WriteAllText(System.IO.Path.Combine(Root, "cgroup.procs"), pid);
            }
            catch (IOException)
            {
                // It exited meanwhile.
            }
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
        }
    }

    private void Write(string file, long value) => File.WriteAllText(System.IO.Path.Combine(Path, file), value.ToString(CultureInfo.InvariantCulture));
}
