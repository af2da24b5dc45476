namespace HelloService.Perf;

/// <summary>The names the report gives the two builds of the service.</summary>
internal static class Builds
{
    public const string Jit = "JIT";
    public const string Aot = "Native AOT";
}
