namespace HelloService.Load;

/// <summary>The entry point of <c>hello-load</c>.</summary>
internal static class LoadProgram
{
    public static int Main(string[] args) => LoadCommand.Run(args);
}
