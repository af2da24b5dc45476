using BenchmarkDotNet.Reports;

namespace HelloService.Benchmarks;

/// <summary>Turns BenchmarkDotNet's summaries into a process exit code.</summary>
internal static class BenchmarkOutcome
{
    private static readonly string[] InformationalOptions = ["--list", "--help", "-h", "--info", "--version", "-?"];

    public static int ExitCode(IEnumerable<Summary> summaries, string[] args)
    {
        var all = summaries.ToList();
        var failures = 0;
        foreach (var summary in all)
        {
            foreach (var error in summary.ValidationErrors)
            {
                Console.Error.WriteLine($"validation error: {error.Message}");
                failures++;
            }

            foreach (var report in summary.Reports.Where(r => !r.Success))
            {
                Console.Error.WriteLine($"benchmark failed: {report.BenchmarkCase.DisplayInfo}");
                failures++;
            }
        }

        var ran = all.Sum(s => s.Reports.Length);
        if (ran == 0 && !args.Any(a => InformationalOptions.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            // A filter that matches nothing must not pass silently in CI.
            Console.Error.WriteLine("no benchmark ran: check --filter");
            return 1;
        }

        return failures == 0 ? 0 : 1;
    }
}
