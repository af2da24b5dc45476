using HelloService.Memory;

namespace HelloService.Tests.Memory;

/// <summary>
/// The container's memory limit and working set, read from fixture hierarchies of both cgroup
/// versions (never from memory cgroups made on the shared machine).
/// </summary>
public sealed class CgroupMemoryTests : IDisposable
{
    private const long MiB = 1 << 20;

    private readonly string _root = Directory.CreateTempSubdirectory("cgroup-fixture").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void V2ReadsMemoryMaxAndTheWorkingSetWithoutInactiveFilePages()
    {
        var memory = Fixture("0::/kubepods/pod1/c1\n", ("sys/kubepods/pod1/c1/memory.max", $"{200 * MiB}\n"),
            ("sys/kubepods/pod1/c1/memory.current", $"{90 * MiB}\n"), ("sys/kubepods/pod1/c1/memory.stat", $"anon {70 * MiB}\nfile {20 * MiB}\ninactive_file {15 * MiB}\n"));

        var snapshot = memory.Read()!;

        Assert.Equal(200 * MiB, snapshot.LimitBytes);
        Assert.Equal(75 * MiB, snapshot.WorkingSetBytes);
        Assert.Equal("cgroup v2 memory.max", snapshot.Source);
    }

    [Fact]
    public void V2InsideACgroupNamespaceReadsTheRoot()
    {
        var memory = Fixture("0::/\n", ("sys/memory.max", $"{512 * MiB}\n"), ("sys/memory.current", $"{10 * MiB}\n"), ("sys/memory.stat", "inactive_file 0\n"));

        Assert.Equal(512 * MiB, memory.Read()!.LimitBytes);
    }

    [Fact]
    public void V2WithoutALimitFallsBackToTheMachinesMemory()
    {
        var memory = Fixture("0::/\n", ("sys/memory.max", "max\n"), ("sys/memory.current", $"{10 * MiB}\n"), ("sys/memory.stat", "inactive_file 0\n"),
            ("meminfo", "MemTotal:       24000000 kB\nMemFree:        20000000 kB\nMemAvailable:   22000000 kB\n"));

        var snapshot = memory.Read()!;

        Assert.Equal(24_000_000L * 1024, snapshot.LimitBytes);
        Assert.Equal(2_000_000L * 1024, snapshot.WorkingSetBytes);
        Assert.Contains("the machine's memory", snapshot.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void V1ReadsTheMemoryControllersLimitAndTotalInactiveFile()
    {
        var memory = Fixture("12:pids:/x\n4:memory:/docker/abc\n1:name=systemd:/x\n", ("sys/memory/docker/abc/memory.limit_in_bytes", $"{150 * MiB}\n"),
            ("sys/memory/docker/abc/memory.usage_in_bytes", $"{40 * MiB}\n"),
            ("sys/memory/docker/abc/memory.stat", $"cache {10 * MiB}\ninactive_file 1\ntotal_inactive_file {8 * MiB}\n"));

        var snapshot = memory.Read()!;

        Assert.Equal(150 * MiB, snapshot.LimitBytes);
        Assert.Equal(32 * MiB, snapshot.WorkingSetBytes);
        Assert.Equal("cgroup v1 memory.limit_in_bytes", snapshot.Source);
    }

    [Fact]
    public void V1WithoutANamespaceFindsItsOwnCgroupMountedAtTheRoot()
    {
        var memory = Fixture("4:memory:/docker/abc\n", ("sys/memory/memory.limit_in_bytes", $"{64 * MiB}\n"),
            ("sys/memory/memory.usage_in_bytes", $"{4 * MiB}\n"), ("sys/memory/memory.stat", "total_inactive_file 0\n"));

        Assert.Equal(64 * MiB, memory.Read()!.LimitBytes);
    }

    [Fact]
    public void V1HugeLimitMeansNoneAndTheMachineBounds()
    {
        var memory = Fixture("4:memory:/\n", ("sys/memory/memory.limit_in_bytes", "9223372036854771712\n"),
            ("sys/memory/memory.usage_in_bytes", $"{4 * MiB}\n"), ("sys/memory/memory.stat", "total_inactive_file 0\n"),
            ("meminfo", "MemTotal:       1000 kB\nMemAvailable:   600 kB\n"));

        Assert.Equal(1000L * 1024, memory.Read()!.LimitBytes);
    }

    [Fact]
    public void NothingReadableIsNull() =>
        Assert.Null(new CgroupMemory(Path.Combine(_root, "none"), Path.Combine(_root, "none"), Path.Combine(_root, "none")).Read());

    [Fact]
    public void ThisMachineHasALimitAndAWorkingSetBelowIt()
    {
        var snapshot = new CgroupMemory().Read();

        Assert.NotNull(snapshot);
        Assert.InRange(snapshot.WorkingSetBytes, 0, snapshot.LimitBytes);
    }

    private CgroupMemory Fixture(string procSelfCgroup, params (string Path, string Text)[] files)
    {
        File.WriteAllText(Path.Combine(_root, "cgroup"), procSelfCgroup);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(_root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return new CgroupMemory(Path.Combine(_root, "sys"), Path.Combine(_root, "cgroup"), Path.Combine(_root, "meminfo"));
    }
}
