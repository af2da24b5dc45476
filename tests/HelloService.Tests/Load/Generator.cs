using System.Text.Json;

using HelloService.Load;

namespace HelloService.Tests.Load;

/// <summary>Runs the load generator in-process with <c>--json</c> and reads its NDJSON.</summary>
internal static class Generator
{
    public static List<JsonElement> Lines(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    /// <summary>The per-second lines: neither the final one nor events (<c>newPod</c>, <c>note</c>, ...).</summary>
    public static List<JsonElement> Seconds(List<JsonElement> lines) =>
        lines.Where(l => !l.TryGetProperty("event", out _) && !l.TryGetProperty("final", out _)).ToList();

    /// <summary>The event lines named <paramref name="name"/>.</summary>
    public static List<JsonElement> Events(List<JsonElement> lines, string name) =>
        lines.Where(l => l.TryGetProperty("event", out var e) && e.GetString() == name).ToList();

    /// <summary>Parses <c>load OPTIONS --json</c> with the real parser and runs it; the last line is the final summary.</summary>
    public static Task<(int ExitCode, List<JsonElement> Lines, string Errors)> RunAsync(params string[] options) =>
        RunUntilAsync(TestContext.Current.CancellationToken, options);

    /// <summary>As <see cref="RunAsync(string[])"/>; <paramref name="interrupt"/> plays Ctrl-C.</summary>
    public static async Task<(int ExitCode, List<JsonElement> Lines, string Errors)> RunUntilAsync(CancellationToken interrupt, string[] options)
    {
        var (plan, errors) = LoadCommand.Parse([.. options, "--json"], _ => null);
        Assert.True(plan is not null, string.Join("; ", errors));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await LoadRunner.RunAsync(plan, output, error, interrupt).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken); // the longest run asks for 60 s
        return (exitCode, Lines(output.ToString()), error.ToString());
    }
}
