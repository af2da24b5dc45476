using HelloService.Ackermann;
using HelloService.Api;
using HelloService.Burn;

namespace HelloService.HelloWorld;

/// <summary>
/// The query of <c>/hello-world</c>, parsed by hand so that one 400 names every offending
/// parameter (model binding stops at the first and lets repeated keys through).
/// </summary>
internal sealed record HelloWorldQuery(string Name, BurnJob Job, int MemMiB = 0)
{
    /// <summary>Largest <c>memMiB</c> the query accepts; whether it can be held is the memory account's to say.</summary>
    public const int MaxMemMiB = 1_048_576;

    public static readonly string[] Parameters = ["name", "count", "cpuMs", "parallelism", "n", "m", "memMiB"];

    /// <summary>Parses <paramref name="query"/>; on failure <paramref name="errors"/> maps each bad parameter to its message.</summary>
    public static bool TryParse(IQueryCollection query, HelloWorldOptions options, out HelloWorldQuery parsed, out Dictionary<string, string[]> errors)
    {
        var found = new StrictQuery(query).AllowOnly(Parameters);
        var name = ParseName(found, options.Name);
        var count = found.Integer("count", null, 0, options.MaxCount, "HelloWorld__MaxCount");
        var cpuMs = found.Integer("cpuMs", null, 1, options.MaxCpuMs, "HelloWorld__MaxCpuMs");
        var parallelism = found.Integer("parallelism", options.DefaultParallelism, 1, options.ParallelismLimit,
            $"the smaller of HelloWorld__MaxParallelism ({options.MaxParallelism}) and the worker budget HelloWorld__MaxBusyWorkers ({options.WorkerBudget})");
        if (count is not null && cpuMs is not null)
        {
            const string both = "Give either count (whole computations) or cpuMs (CPU time), not both.";
            found.Add("count", both);
            found.Add("cpuMs", both);
        }

        // A cpuMs request burns small slices unless it names its own n or m.
        var slices = cpuMs is not null;
        var n = found.Integer("n", slices ? 3 : options.N, 0, AckermannKernel.MaxN, null)!.Value;
        var m = found.Integer("m", slices ? HelloWorldOptions.CpuSliceM : options.M, 0, options.MaxM, "HelloWorld__MaxM")!.Value;

        var memMiB = found.Integer("memMiB", 0, 0, MaxMemMiB, null)!.Value;

        errors = found.Errors;
        parsed = new HelloWorldQuery(name, cpuMs is { } ms
            ? BurnJob.ForCpuTime(n, m, TimeSpan.FromMilliseconds(ms), parallelism!.Value)
            : BurnJob.Computations(n, m, count ?? options.Count, parallelism!.Value), memMiB);
        return found.IsValid;
    }

    private static string ParseName(StrictQuery query, string fallback)
    {
        var raw = query.Single("name");
        if (raw is null)
        {
            return fallback;
        }

        if (GreetingName.Check(raw) is { } rule)
        {
            query.Add("name", $"The name {rule}.");
            return fallback;
        }

        return raw;
    }
}
