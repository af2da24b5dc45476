using System.Globalization;

namespace HelloService.Memory;

/// <summary>
/// The memory this process may use, as the kernel will enforce it: the container's limit and the
/// working set the kubelet measures (usage less inactive file pages), from cgroup v2
/// (<c>memory.max</c>, <c>memory.current</c>, <c>memory.stat</c>) or v1
/// (<c>memory.limit_in_bytes</c>, <c>memory.usage_in_bytes</c>, <c>memory.stat</c>); without a
/// limit, the machine's memory and what is in use of it (<c>/proc/meminfo</c>). The roots are
/// parameters so that tests read fixture files instead of the machine's hierarchy.
/// </summary>
internal sealed class CgroupMemory(string cgroupRoot = "/sys/fs/cgroup", string procSelfCgroup = "/proc/self/cgroup", string procMeminfo = "/proc/meminfo")
{
    /// <summary>A v1 limit this large means none (the kernel writes 2^63 rounded down to a page).</summary>
    private const long UnlimitedV1 = 1L << 62;

    /// <summary>Reads the limit and the usage now; null where neither a cgroup nor /proc/meminfo can be read.</summary>
    public MemorySnapshot? Read()
    {
        try
        {
            return ReadV2() ?? ReadV1() ?? ReadMachine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private MemorySnapshot? ReadV2()
    {
        var directory = Directory(line => line.StartsWith("0::", StringComparison.Ordinal) ? line[3..] : null, cgroupRoot, "memory.max");
        if (directory is null)
        {
            return null;
        }

        var usage = Number(Path.Combine(directory, "memory.current"));
        var inactive = StatField(Path.Combine(directory, "memory.stat"), "inactive_file");
        var max = File.ReadAllText(Path.Combine(directory, "memory.max")).Trim();
        return max == "max"
            ? Unlimited(usage - inactive, "cgroup v2, memory.max is max")
            : new MemorySnapshot(long.Parse(max, CultureInfo.InvariantCulture), usage - inactive, "cgroup v2 memory.max");
    }

    private MemorySnapshot? ReadV1()
    {
        var root = Path.Combine(cgroupRoot, "memory");
        var directory = Directory(line => line.Split(':') is [_, var controllers, var path] && controllers.Split(',').Contains("memory") ? path : null,
            root, "memory.limit_in_bytes");
        if (directory is null)
        {
            return null;
        }

        var usage = Number(Path.Combine(directory, "memory.usage_in_bytes"));
        var inactive = StatField(Path.Combine(directory, "memory.stat"), "total_inactive_file");
        var limit = Number(Path.Combine(directory, "memory.limit_in_bytes"));
        return limit >= UnlimitedV1
            ? Unlimited(usage - inactive, "cgroup v1, no memory.limit_in_bytes")
            : new MemorySnapshot(limit, usage - inactive, "cgroup v1 memory.limit_in_bytes");
    }

    /// <summary>No cgroup limit: the machine's memory bounds the process, and the cgroup's own working set is what it uses.</summary>
    private MemorySnapshot Unlimited(long workingSet, string source)
    {
        var machine = ReadMachine();
        return machine is null ? new MemorySnapshot(long.MaxValue, workingSet, source) : machine with { Source = $"{source}: the machine's memory" };
    }

    private MemorySnapshot? ReadMachine()
    {
        if (!File.Exists(procMeminfo))
        {
            return null;
        }

        var total = StatField(procMeminfo, "MemTotal:") * 1024;
        var available = StatField(procMeminfo, "MemAvailable:") * 1024;
        return new MemorySnapshot(total, total - available, "/proc/meminfo");
    }

    /// <summary>The process's own cgroup directory under <paramref name="root"/> holding <paramref name="file"/> (the root itself inside a container's namespace).</summary>
    private string? Directory(Func<string, string?> pathOf, string root, string file)
    {
        if (!File.Exists(procSelfCgroup))
        {
            return null;
        }

        foreach (var line in File.ReadLines(procSelfCgroup))
        {
            if (pathOf(line) is not { } relative)
            {
                continue;
            }

            var own = Path.Combine(root, relative.TrimStart('/'));
            if (File.Exists(Path.Combine(own, file)))
            {
                return own;
            }

            // A container without a cgroup namespace sees its own cgroup mounted at the root.
            return File.Exists(Path.Combine(root, file)) ? root : null;
        }

        return null;
    }

    private static long Number(string path) => long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);

    private static long StatField(string path, string name)
    {
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == name)
            {
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
