namespace HelloService.Memory;

/// <summary>The memory limit and the working set measured against it, in bytes, and where the limit came from.</summary>
internal sealed record MemorySnapshot(long LimitBytes, long WorkingSetBytes, string Source)
{
    public const long MiB = 1 << 20;

    public double LimitMiB => LimitBytes / (double)MiB;

    public double WorkingSetMiB => WorkingSetBytes / (double)MiB;
}
