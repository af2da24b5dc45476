namespace HelloService.Testing;

/// <summary>The checkout the tests, tools and benchmarks run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The first directory above the running binaries that holds HelloService.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the repository root, from forward-slash parts.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HelloService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"HelloService.sln not found above {AppContext.BaseDirectory}");
    }
}
