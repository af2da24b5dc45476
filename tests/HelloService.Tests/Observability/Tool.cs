using System.Diagnostics;

namespace HelloService.Tests.Observability;

/// <summary>One bounded run of an external tool (promtool, kubectl, node, npm, prometheus).</summary>
internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The tool's path on PATH; skips the test when it is missing, except in CI (CI=true), where it fails.</summary>
    public static string Require(string name, string install)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI must install {name} ({install})");
            Assert.Skip($"{name} is not installed ({install})");
        }

        return path;
    }

    /// <summary>Runs the tool, feeding <paramref name="stdin"/>; kills it and fails the test after <paramref name="limit"/>.</summary>
    public static async Task<ToolRun> RunAsync(string path, IEnumerable<string> args, TimeSpan limit, string? stdin = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), timeout.Token);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(path)} {string.Join(' ', start.ArgumentList)} still ran after {limit}");
        }

        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }
}
