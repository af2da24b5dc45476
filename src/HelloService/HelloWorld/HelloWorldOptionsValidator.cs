using HelloService.Ackermann;

using Microsoft.Extensions.Options;

namespace HelloService.HelloWorld;

/// <summary>
/// Checks every setting at start-up, naming the key and its environment variable, so a bad
/// value stops the process instead of making a half-working service. Written by hand (no
/// reflection) so it works under Native AOT.
/// </summary>
internal sealed class HelloWorldOptionsValidator : IValidateOptions<HelloWorldOptions>
{
    public const int MaxNameLength = 100;
    public const int MaxCountLimit = 1_000_000;
    public const int MaxThreadsLimit = 1024;

    public ValidateOptionsResult Validate(string? name, HelloWorldOptions o)
    {
        var errors = new List<string>();

        void Range(string key, long value, long min, long max, string? why = null)
        {
            if (value < min || value > max)
            {
                errors.Add($"{HelloWorldOptions.SectionName}:{key} (environment variable {HelloWorldOptions.SectionName}__{key}) " +
                    $"must be from {min} to {max}{why}, but is {value}.");
            }
        }

        Range(nameof(o.MaxCount), o.MaxCount, 0, MaxCountLimit);
        Range(nameof(o.MaxParallelism), o.MaxParallelism, 1, MaxThreadsLimit);
        Range(nameof(o.MaxBusyWorkers), o.EffectiveMaxBusyWorkers, 1, MaxThreadsLimit);
        var stackSafeM = MaxStackSafeM();
        Range(nameof(o.MaxM), o.MaxM, 0, stackSafeM,
            $" (A(3, m) recurses about 2^(m+3) deep; a larger m would need more than {AckermannKernel.MaxStackBytes >> 20} MiB of stack per worker)");
        Range(nameof(o.MaxRequestSeconds), o.MaxRequestSeconds, 1, 86_400);
        Range(nameof(o.AdmissionWaitMilliseconds), o.AdmissionWaitMilliseconds, 0, Math.Min(60_000, (o.MaxRequestSeconds * 1000L) - 1),
            " (and less than MaxRequestSeconds, whose deadline also covers the wait)");
        Range(nameof(o.MaxWaitingRequests), o.MaxWaitingRequests, 0, 100_000);
        Range(nameof(o.WorkerNice), o.WorkerNice, 0, 19);

        Range(nameof(o.Count), o.Count, 0, o.MaxCount, " (MaxCount)");
        Range(nameof(o.Parallelism), o.EffectiveParallelism, 1, o.ParallelismLimit, " (the smaller of MaxParallelism and MaxBusyWorkers)");
        Range(nameof(o.N), o.N, 0, AckermannKernel.MaxN);
        Range(nameof(o.M), o.M, 0, o.MaxM, " (MaxM)");

        if (HelloWorldQuery.CheckName(o.Name) is { } nameError)
        {
            errors.Add($"{HelloWorldOptions.SectionName}:Name (environment variable {HelloWorldOptions.SectionName}__Name) {nameError}");
        }

        if (o.ApiKey is { Length: > 0 and < 16 })
        {
            errors.Add($"{HelloWorldOptions.SectionName}:ApiKey (environment variable {HelloWorldOptions.SectionName}__ApiKey) " +
                "must be at least 16 characters when set.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

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
