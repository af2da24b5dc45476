using System.Globalization;

namespace HelloService.Tests;

/// <summary>
/// A CPU cgroup of the tests' own (unique name, removed on dispose), to emulate a pod's CPU limit,
/// and/or to give the measured processes a large weight so that other builds on a shared machine
/// do not decide the figures. cgroup v1 (<c>/sys/fs/cgroup/cpu</c>) or v2 (under
/// <c>/sys/fs/cgroup</c>, or the cgroup named by <see cref="CgroupCpuFiles.ParentVariable"/>),
/// whichever holds the CPU controller: see <see cref="CgroupCpuFiles"/>.
/// <para>
/// Nothing outside the group is written, except that a process <see cref="Add"/> moved in is
/// moved back where it came from before the group is removed.
/// </para>
/// </summary>
internal sealed class CpuCgroup : IDisposable
{
    private static readonly CgroupCpuFiles? Files = OperatingSystem.IsLinux()
        ? CgroupCpuFiles.Detect(v2Parent: Environment.GetEnvironmentVariable(CgroupCpuFiles.ParentVariable))
        : null;

    private readonly CgroupCpuFiles _files;
    private readonly Dictionary<int, string> _origins = [];

    private CpuCgroup(CgroupCpuFiles files, string path)
    {
        _files = files;
        Path = path;
    }

    public string Path { get; }

    public string Procs => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>
    /// Why a cgroup cannot be made here (to skip a test), or null when it can. Under CI
    /// (<c>CI=true</c>) always null: a test that needs a cgroup goes on to <see cref="Create"/>,
    /// which fails it with the reason, so that CI cannot pass by skipping the quota tests.
    /// </summary>
    public static string? Unavailable() => Environment.GetEnvironmentVariable("CI") == "true" ? null : Reason();

    /// <summary>Creates the group: <paramref name="millicores"/> as a CFS quota (null: no limit), and <paramref name="shares"/> (cgroup v1 units; a weight under v2).</summary>
    public static CpuCgroup Create(string purpose, int? millicores, int shares = 1024)
    {
        if (Reason() is { } reason)
        {
            throw new InvalidOperationException($"cannot create a CPU cgroup: {reason}");
        }

        var path = System.IO.Path.Combine(Files!.Parent, $"helloservice-test-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..60]);
        Directory.CreateDirectory(path);
        var group = new CpuCgroup(Files, path);
        try
        {
            Files.Limit(path, millicores, shares);
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>Creates a group limited to <paramref name="millicores"/>, or null and why not (to skip a test; under CI it throws instead, see <see cref="Unavailable"/>).</summary>
    public static CpuCgroup? TryCreate(string purpose, int millicores, out string reason)
    {
        reason = Unavailable() ?? string.Empty;
        return reason.Length == 0 ? Create(purpose, millicores) : null;
    }

    /// <summary>Periods in which the group was throttled (cpu.stat).</summary>
    public long NrThrottled() => CgroupCpuFiles.Stat(Path)["nr_throttled"];

    /// <summary>Moves a whole process (all its threads) into the group; it goes back where it was on dispose.</summary>
    public void Add(int pid)
    {
        var origin = _files.GroupOf(File.ReadAllText($"/proc/{pid}/cgroup"));
        if (origin is not null)
        {
            _origins[pid] = origin;
        }

        File.WriteAllText(Procs, pid.ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        foreach (var (pid, origin) in _origins)
        {
            try
            {
                File.WriteAllText(System.IO.Path.Combine(origin, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // It exited meanwhile.
            }
        }

        // Processes started inside the group (ServiceProcess) are killed by their own dispose: wait for them to go.
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

    private static string? Reason() =>
        !OperatingSystem.IsLinux() ? "cgroups are Linux only"
        : Files is null ? "no cgroup v1 cpu hierarchy at /sys/fs/cgroup/cpu and no cgroup v2 hierarchy at /sys/fs/cgroup"
        : Environment.UserName != "root" ? "creating a cgroup needs root"
        : Files.Unavailable();
}
