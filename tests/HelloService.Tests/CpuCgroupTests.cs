using System.Diagnostics;

namespace HelloService.Tests;

/// <summary>
/// The test harness's CPU cgroups. The machine these tests were written on has cgroup v1 only
/// (the cgroup2 mount at /sys/fs/cgroup/unified holds no controller), so the v2 files are checked
/// on a temporary directory laid out like a cgroup v2 hierarchy; the v1 files likewise, and for
/// real where a cgroup can be made (under CI it must be).
/// </summary>
public sealed class CpuCgroupTests : IDisposable
{
    private readonly DirectoryInfo _mount = Directory.CreateTempSubdirectory("cgroup-fixture-");

    public void Dispose() => _mount.Delete(recursive: true);

    [Fact]
    public void V2WritesCpuMaxAsQuotaAndPeriodAndTheSharesAsAWeight()
    {
        var files = V2Fixture("cpuset cpu io memory pids");
        var group = Group(files.Parent, "quota");

        files.Limit(group, 900, 1024);

        Assert.Equal("v2", files.Version);
        Assert.Null(files.Unavailable());
        Assert.Equal("90000 100000", File.ReadAllText(Path.Combine(group, "cpu.max")));
        Assert.Equal("39", File.ReadAllText(Path.Combine(group, "cpu.weight")));
        Assert.False(File.Exists(Path.Combine(group, "cpu.cfs_quota_us")));
    }

    [Fact]
    public void V2WithoutAQuotaWritesMaxAndTheWeightRangeIsKubernetes()
    {
        var files = V2Fixture("cpu");
        var group = Group(files.Parent, "weight");

        files.Limit(group, null, 262_144);
        Assert.Equal("max 100000", File.ReadAllText(Path.Combine(group, "cpu.max")));
        Assert.Equal("10000", File.ReadAllText(Path.Combine(group, "cpu.weight")));

        files.Limit(group, 250, 2);
        Assert.Equal("25000 100000", File.ReadAllText(Path.Combine(group, "cpu.max")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(group, "cpu.weight")));
    }

    [Fact]
    public void V2WithoutTheCpuControllerEnabledForChildrenSaysHowToEnableIt()
    {
        var files = V2Fixture("memory pids");

        var reason = files.Unavailable();

        Assert.NotNull(reason);
        Assert.Contains("cgroup.subtree_control: 'memory pids'", reason, StringComparison.Ordinal);
        Assert.Contains("echo +cpu > ", reason, StringComparison.Ordinal);
        Assert.Contains(CgroupCpuFiles.ParentVariable, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void V2ParentCanBeADelegatedCgroupAndAProcessIsFoundByItsUnifiedLine()
    {
        File.WriteAllText(Path.Combine(_mount.FullName, "cgroup.controllers"), "cpu memory\n");
        var delegated = Directory.CreateDirectory(Path.Combine(_mount.FullName, "user.slice", "ci")).FullName;
        File.WriteAllText(Path.Combine(delegated, "cgroup.subtree_control"), "cpu\n");

        var files = CgroupCpuFiles.Detect(_mount.FullName, delegated);

        Assert.NotNull(files);
        Assert.Equal(delegated, files.Parent);
        Assert.Null(files.Unavailable());
        Assert.Equal(Path.Combine(_mount.FullName, "user.slice/session-1.scope"), files.GroupOf("1:name=systemd:/x\n0::/user.slice/session-1.scope\n"));
        Assert.Equal(_mount.FullName, files.GroupOf("0::/\n"));
    }

    [Fact]
    public void CpuStatReadsUsageAndThrottlingInEitherVersion()
    {
        var group = Group(_mount.FullName, "stat");
        File.WriteAllText(Path.Combine(group, "cpu.stat"), "usage_usec 8123456\nuser_usec 8000000\nsystem_usec 123456\nnr_periods 120\nnr_throttled 37\nthrottled_usec 912345\nnr_bursts 0\nburst_usec 0\n");

        var stat = CgroupCpuFiles.Stat(group);

        Assert.Equal(8_123_456, stat["usage_usec"]);
        Assert.Equal(37, stat["nr_throttled"]);
        Assert.Equal(912_345, stat["throttled_usec"]);
    }

    [Fact]
    public void V1WritesTheCfsQuotaPeriodAndSharesAndIsPreferredOnAHybridMount()
    {
        var cpu = Directory.CreateDirectory(Path.Combine(_mount.FullName, "cpu")).FullName;
        File.WriteAllText(Path.Combine(cpu, "cpu.cfs_quota_us"), "-1\n");
        File.WriteAllText(Path.Combine(_mount.FullName, "cgroup.controllers"), string.Empty); // a hybrid system's unified mount holds no controller
        var files = CgroupCpuFiles.Detect(_mount.FullName);
        Assert.NotNull(files);
        var group = Group(files.Parent, "quota");

        files.Limit(group, 900, 4096);

        Assert.Equal("v1", files.Version);
        Assert.Equal(cpu, files.Parent);
        Assert.Equal("100000", File.ReadAllText(Path.Combine(group, "cpu.cfs_period_us")));
        Assert.Equal("90000", File.ReadAllText(Path.Combine(group, "cpu.cfs_quota_us")));
        Assert.Equal("4096", File.ReadAllText(Path.Combine(group, "cpu.shares")));
        Assert.Equal(Path.Combine(cpu, "a/b"), files.GroupOf("5:memory:/m\n4:cpu,cpuacct:/a/b\n0::/\n"));
    }

    [Fact]
    public void NoCgroupMountIsNoHierarchy() => Assert.Null(CgroupCpuFiles.Detect(_mount.FullName));

    [Fact]
    [Trait("Category", "Slow")]
    public void ARealGroupHoldsItsQuotaAndProcessesAndIsRemoved()
    {
        var unavailable = CpuCgroup.Unavailable();
        Assert.SkipWhen(unavailable is not null, $"no CPU cgroup here: {unavailable}");
        string path;
        using (var group = CpuCgroup.Create("harness", 500))
        {
            path = group.Path;
            var quota = File.Exists(Path.Combine(path, "cpu.max"))
                ? File.ReadAllText(Path.Combine(path, "cpu.max")).Trim()
                : File.ReadAllText(Path.Combine(path, "cpu.cfs_quota_us")).Trim();
            Assert.Contains(quota, new[] { "50000", "50000 100000" });

            using var sleeper = Process.Start("sleep", "30");
            try
            {
                group.Add(sleeper.Id);
                Assert.Contains(sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllLines(group.Procs));
                Assert.Equal(0, group.NrThrottled());
            }
            finally
            {
                sleeper.Kill();
                sleeper.WaitForExit(5000);
            }
        }

        Assert.False(Directory.Exists(path), $"{path} was left behind");
    }

    private CgroupCpuFiles V2Fixture(string subtreeControl)
    {
        File.WriteAllText(Path.Combine(_mount.FullName, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        File.WriteAllText(Path.Combine(_mount.FullName, "cgroup.subtree_control"), subtreeControl + "\n");
        File.WriteAllText(Path.Combine(_mount.FullName, "cgroup.procs"), "1\n");
        return CgroupCpuFiles.Detect(_mount.FullName) ?? throw new Xunit.Sdk.XunitException("the v2 fixture was not detected");
    }

    /// <summary>A group directory as mkdir makes it; the kernel would add the interface files.</summary>
    private static string Group(string parent, string name) => Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
}
