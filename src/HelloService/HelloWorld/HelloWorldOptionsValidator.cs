using HelloService.Ackermann;
using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

/// <summary>
/// Checks every setting at start-up, naming the key and its environment variable, so a bad value
/// stops the process instead of making a half-working service: the generated range checks, then
/// the rules that tie settings together.
/// </summary>
internal sealed class HelloWorldOptionsValidator() : SettingsValidator<HelloWorldOptions, HelloWorldOptionsRanges>(HelloWorldOptions.SectionName)
{
    public const int MaxApiKeyLength = 1024;

    protected override void CheckRules(HelloWorldOptions o, SettingErrors errors)
    {
        var stackSafeM = MaxStackSafeM();
        errors.Rule(o.MaxM <= stackSafeM, nameof(o.MaxM),
            $"must be at most {stackSafeM}: A(3, m) recurses about 2^(m+3) deep, and a larger m would need more than " +
            $"{AckermannKernel.MaxStackBytes >> 20} MiB of stack per worker (is {o.MaxM})");
        errors.Rule(o.AdmissionWaitMilliseconds < o.MaxRequestSeconds * 1000L, nameof(o.AdmissionWaitMilliseconds),
            $"must be less than MaxRequestSeconds ({o.MaxRequestSeconds} s), whose deadline also covers the wait (is {o.AdmissionWaitMilliseconds})");
        errors.Rule(o.Count <= o.MaxCount, nameof(o.Count), $"must be at most MaxCount ({o.MaxCount}) (is {o.Count})");
        errors.Rule(o.M <= o.MaxM, nameof(o.M), $"must be at most MaxM ({o.MaxM}) (is {o.M})");
        if (o.Parallelism is { } parallelism)
        {
            var budget = o.MaxBusyWorkers ?? HelloWorldOptions.AutomaticWorkerBudget;
            var limit = Math.Min(o.MaxParallelism, budget);
            errors.Rule(parallelism <= limit, nameof(o.Parallelism),
                $"must be at most {limit}, the smaller of MaxParallelism ({o.MaxParallelism}) and MaxBusyWorkers ({budget}) (is {parallelism})");
        }

        var nameError = GreetingName.Check(o.Name);
        errors.Rule(nameError is null, nameof(o.Name), nameError!);

        // A key longer than a header the server reads, or with white space at either end (which no
        // header value keeps), could never match.
        errors.Rule(o.ApiKey is not { Length: > 0 } key || (key.Length is >= 16 and <= MaxApiKeyLength && !string.IsNullOrWhiteSpace(key) && key.Trim() == key),
            nameof(o.ApiKey), $"must be 16 to {MaxApiKeyLength} characters, with no white space at either end, when set");
    }

    protected override object? ValueOf(HelloWorldOptions o, string member) => member switch
    {
        nameof(o.Count) => o.Count,
        nameof(o.Parallelism) => o.Parallelism,
        nameof(o.N) => o.N,
        nameof(o.M) => o.M,
        nameof(o.MaxCount) => o.MaxCount,
        nameof(o.MaxParallelism) => o.MaxParallelism,
        nameof(o.MaxM) => o.MaxM,
        nameof(o.MaxCpuMs) => o.MaxCpuMs,
        nameof(o.MaxRequestSeconds) => o.MaxRequestSeconds,
        nameof(o.MaxBusyWorkers) => o.MaxBusyWorkers,
        nameof(o.AdmissionWaitMilliseconds) => o.AdmissionWaitMilliseconds,
        nameof(o.MaxWaitingRequests) => o.MaxWaitingRequests,
        nameof(o.WorkerNice) => o.WorkerNice,
        nameof(o.MaxLoadSeconds) => o.MaxLoadSeconds,
        nameof(o.MaxLoadJobs) => o.MaxLoadJobs,
        _ => null,
    };

    /// <summary>The largest MaxM whose deepest recursion fits in the largest worker stack we allow.</summary>
    public static int MaxStackSafeM()
    {
        var m = 0;
        while (AckermannKernel.StackBytesFor(m + 1) <= AckermannKernel.MaxStackBytes)
        {
            m++;
        }

        return m;
    }
}
