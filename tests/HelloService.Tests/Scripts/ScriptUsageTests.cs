namespace HelloService.Tests.Scripts;

/// <summary>
/// The usage of the scripts that share scripts/common.sh: a bad option exits 2 with the usage on
/// stderr, -h exits 0 with the help. (load.sh's bad options, which must also send nothing, are in
/// <see cref="LoadScriptTests"/>.)
/// </summary>
[Trait("Category", "Slow")]
public class ScriptUsageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("bench-generator.sh", "-r", "0")]
    [InlineData("bench-generator.sh", "-r", "20000")]
    [InlineData("bench-generator.sh", "-d", "121")]
    [InlineData("bench-generator.sh", "-c", "many")]
    [InlineData("bench-generator.sh", "-x", "/nonexistent/HelloService")]
    [InlineData("bench-generator.sh", "--bogus")]
    [InlineData("bench-http.sh", "-x")]
    [InlineData("bench-http.sh", "-d", "0")]
    [InlineData("bench-http.sh", "-d", "301")]
    [InlineData("bench-http.sh", "-c", "zero")]
    [InlineData("bench-http.sh", "-P", "medium")]
    [InlineData("bench-http.sh", "-T", "ab")]
    [InlineData("bench-http.sh", "-u", "127.0.0.1:9000")]
    [InlineData("bench-http.sh", "-d")]
    public async Task BadOptionsExitWithTwoAndTheUsage(string script, params string[] args)
    {
        var run = await ScriptRun.RunAsync(script, args, Limit);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Theory]
    [InlineData("bench-generator.sh", "Example: bench-generator.sh -r 2000 -d 10")]
    [InlineData("bench-http.sh", "apt-get install hey")]
    [InlineData("load.sh", "-d SECONDS")]
    public async Task HelpExitsZeroWithTheOptions(string script, string text)
    {
        foreach (var help in new[] { "-h", "--help" })
        {
            var run = await ScriptRun.RunAsync(script, [help], Limit);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
            Assert.Contains(text, run.Stdout, StringComparison.Ordinal);
        }
    }
}
