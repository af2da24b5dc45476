namespace HelloService.LoadJobs;

/// <summary>What a load job holds: CPU (<c>/load/cpu</c>) or memory (<c>/load/memory</c>).</summary>
internal enum LoadJobKind
{
    Cpu,
    Memory,
}
