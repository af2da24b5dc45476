using System.Globalization;

namespace HelloService.Tests;

/// <summary>
/// The CPU controller's files in one cgroup version: cgroup v1 (a <c>cpu</c> hierarchy with
/// <c>cpu.cfs_quota_us</c>, <c>cpu.cfs_period_us</c>, <c>cpu.shares</c>) or cgroup v2 (one unified
/// hierarchy with <c>cpu.max</c> "QUOTA PERIOD", <c>cpu.weight</c>, the controller enabled for
/// children in the parent's <c>cgroup.subtree_control</c>). <c>cpu.stat</c> and
/// <c>cgroup.procs</c> read and write alike in both. The mount point is a parameter, so the
/// parsing and writing are tested on a temporary directory laid out like a hierarchy.
/// </summary>
internal abstract class CgroupCpuFiles(string root, string parent)
{
    /// <summary>Names a cgroup v2 cgroup (delegated to the tests, cpu enabled for its children) to create the groups under, instead of the root.</summary>
    public const string ParentVariable = "HELLOSERVICE_CGROUP_PARENT";

    private const long Period = 100_000;

    /// <summary>The hierarchy's mount point (v1: its <c>cpu</c> hierarchy).</summary>
    public string Root { get; } = root;

    /// <summary>Where the tests' groups are made.</summary>
    public string Parent { get; } = parent;

    public abstract string Version { get; }

    /// <summary>
    /// The hierarchy that holds the CPU controller under <paramref name="mount"/>
    /// (<c>/sys/fs/cgroup</c>), or null: v1 when it has a <c>cpu</c> hierarchy (as on hybrid
    /// systems, where the cgroup2 mount holds no controller), otherwise v2 when it is a cgroup2 mount.
    /// </summary>
    public static CgroupCpuFiles? Detect(string mount = "/sys/fs/cgroup", string? v2Parent = null)
    {
        var v1 = Path.Combine(mount, "cpu");
        if (File.Exists(Path.Combine(v1, "cpu.cfs_quota_us")))
        {
            return new V1(v1);
        }

        return File.Exists(Path.Combine(mount, "cgroup.controllers"))
            ? new V2(mount, string.IsNullOrEmpty(v2Parent) ? mount : v2Parent)
            : null;
    }

    /// <summary>Why groups with a CPU limit cannot be made under <see cref="Parent"/>, or null when they can be tried.</summary>
    public abstract string? Unavailable();

    /// <summary>Writes the group's CFS quota as <paramref name="millicores"/> (null: no quota) and its relative weight as cgroup v1 <paramref name="shares"/>.</summary>
    public abstract void Limit(string group, int? millicores, int shares);

    /// <summary>The cgroup directory a process is in, from the text of its <c>/proc/PID/cgroup</c>.</summary>
    public abstract string? GroupOf(string procCgroup);

    /// <summary>The group's <c>cpu.stat</c>: v1 has <c>nr_throttled</c> and <c>throttled_time</c> (ns), v2 also <c>usage_usec</c> and <c>throttled_usec</c>.</summary>
    public static IReadOnlyDictionary<string, long> Stat(string group) =>
        File.ReadLines(Path.Combine(group, "cpu.stat"))
            .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2 && long.TryParse(fields[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(fields => fields[0], fields => long.Parse(fields[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    protected static void Write(string group, string file, string value) => File.WriteAllText(Path.Combine(group, file), value);

    protected string Under(string relative) => Path.Combine(Root, relative.TrimStart('/'));

    private sealed class V1(string root) : CgroupCpuFiles(root, root)
    {
        public override string Version => "v1";

        public override string? Unavailable() => null;

        public override void Limit(string group, int? millicores, int shares)
        {
            Write(group, "cpu.cfs_period_us", Period.ToString(CultureInfo.InvariantCulture));
            if (millicores is { } m)
            {
                Write(group, "cpu.cfs_quota_us", (m * Period / 1000).ToString(CultureInfo.InvariantCulture));
            }

            Write(group, "cpu.shares", shares.ToString(CultureInfo.InvariantCulture));
        }

        // "4:cpu,cpuacct:/some/path": the line whose controller list names cpu.
        public override string? GroupOf(string procCgroup) =>
            procCgroup.Split('\n').Select(line => line.Split(':', 3)).Where(f => f.Length == 3 && f[1].Split(',').Contains("cpu"))
                .Select(f => Under(f[2])).FirstOrDefault();
    }

    private sealed class V2(string root, string parent) : CgroupCpuFiles(root, parent)
    {
        public override string Version => "v2";

        public override string? Unavailable()
        {
            var subtreeControl = Path.Combine(Parent, "cgroup.subtree_control");
            if (!File.Exists(subtreeControl))
            {
                return $"no cgroup v2 cgroup at {Parent} ({ParentVariable})";
            }

            // Enabling it is the parent's owner's decision: the tests write to their own groups only.
            var enabled = File.ReadAllText(subtreeControl).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return enabled.Contains("cpu")
                ? null
                : $"the cpu controller is not enabled for the children of {Parent} (cgroup.subtree_control: '{string.Join(' ', enabled)}'): "
                    + $"as its owner, echo +cpu > {subtreeControl}, or name a cgroup delegated to the tests in {ParentVariable}";
        }

        public override void Limit(string group, int? millicores, int shares)
        {
            var quota = millicores is { } m ? (m * Period / 1000).ToString(CultureInfo.InvariantCulture) : "max";
            Write(group, "cpu.max", $"{quota} {Period}");
            Write(group, "cpu.weight", Weight(shares).ToString(CultureInfo.InvariantCulture));
        }

        // "0::/some/path": the unified hierarchy's line.
        public override string? GroupOf(string procCgroup) =>
            procCgroup.Split('\n').Where(line => line.StartsWith("0::", StringComparison.Ordinal)).Select(line => Under(line[3..])).FirstOrDefault();

        // cpu.shares [2, 262144] onto cpu.weight [1, 10000], as runc and the kubelet map them.
        private static long Weight(int shares) => 1 + ((Math.Clamp(shares, 2, 262_144) - 2L) * 9999 / 262_142);
    }
}
