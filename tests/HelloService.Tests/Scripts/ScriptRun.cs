using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace HelloService.Tests.Scripts;

/// <summary>One bounded run of a script from <c>scripts/</c> under bash, with its output.</summary>
internal sealed record ScriptRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The repository root: the first directory above the test binaries holding HelloService.sln.</summary>
    public static string RepoRoot => Repository.Root;

    /// <summary>
    /// Runs <c>bash scripts/<paramref name="script"/></c> with <paramref name="args"/>; kills the
    /// process tree and fails the test if it is still running after <paramref name="limit"/>.
    /// </summary>
    public static async Task<ScriptRun> RunAsync(
        string script,
        IEnumerable<string> args,
        TimeSpan limit,
        IDictionary<string, string>? environment = null,
        Func<Process, Task>? whileRunning = null)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot, "scripts", script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(limit);
        try
        {
            if (whileRunning is not null)
            {
                await whileRunning(process);
            }

            await process.WaitForExitAsync(timeout.Token);
            process.WaitForExit(); // flush the redirected output
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} {string.Join(' ', args)} still ran after {limit}:\n{Text(stdout)}\n{Text(stderr)}");
        }

        return new ScriptRun(process.ExitCode, Text(stdout), Text(stderr), stopwatch.Elapsed);
    }

    /// <summary>The number on the summary line that starts with <paramref name="label"/>, e.g. "status 200".</summary>
    public long Summary(string label)
    {
        var match = Regex.Match(Stdout, $"^{Regex.Escape(label)} +([0-9.]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no summary line '{label}' in:\n{Stdout}\n{Stderr}");
        return (long)double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool HasSummary(string label) =>
        Regex.IsMatch(Stdout, $"^{Regex.Escape(label)} +", RegexOptions.Multiline);

    public override string ToString() => $"exit {ExitCode} after {Elapsed}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    private static void Append(StringBuilder sink, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sink)
        {
            sink.AppendLine(line);
        }
    }

    private static string Text(StringBuilder sink)
    {
        lock (sink)
        {
            return sink.ToString();
        }
    }
}
