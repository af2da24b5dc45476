using HelloService.Perf;

// What BenchmarkDotNet cannot measure: whole processes (saturation, probe latency under a burn,
// cold start, memory). Kernel speed and per-request overhead are benchmarks (benchmarks/).
// Exit codes: 0 done, 1 failed, 2 bad usage.
if (args is not ["report", .. var rest])
{
    Console.Error.WriteLine(ReportOptions.Usage);
    return args is ["--help"] or ["-h"] ? 0 : 2;
}

var (options, error) = ReportOptions.Parse(rest);
if (options is null)
{
    Console.Error.WriteLine($"HelloService.Perf report: {error}");
    Console.Error.WriteLine(ReportOptions.Usage);
    return 2;
}

try
{
    return await ReportCommand.RunAsync(options);
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
{
    Console.Error.WriteLine($"HelloService.Perf report: failed: {e.Message}");
    return 1;
}
