using System.Globalization;

using HelloService.Ackermann;

namespace HelloService.HelloWorld;

/// <summary>
/// The query of <c>/hello-world</c>, parsed by hand so that one 400 names every offending
/// parameter (model binding stops at the first and lets repeated keys through).
/// </summary>
internal sealed record HelloWorldQuery(string Name, BurnJob Job)
{
    public static readonly string[] Parameters = ["name", "count", "parallelism", "n", "m"];

    /// <summary>Parses <paramref name="query"/>; on failure <paramref name="errors"/> maps each bad parameter to its messages.</summary>
    public static HelloWorldQuery? TryParse(IQueryCollection query, HelloWorldOptions options, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        foreach (var key in query.Keys)
        {
            if (!Parameters.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                errors[Shorten(key)] = [$"Unknown parameter. Known parameters: {string.Join(", ", Parameters)}."];
            }
        }

        var name = Text(query, "name", options.Name, errors);
        var count = Integer(query, "count", options.Count, 0, options.MaxCount, "HelloWorld__MaxCount", errors);
        var parallelism = Parallelism(query, options, errors);
        var n = Integer(query, "n", options.N, 0, AckermannKernel.MaxN, null, errors);
        var m = Integer(query, "m", options.M, 0, options.MaxM, "HelloWorld__MaxM", errors);

        return errors.Count == 0 ? new HelloWorldQuery(name, new BurnJob(n, m, count, parallelism)) : null;
    }

    /// <summary>Why <paramref name="name"/> is not an acceptable name, or null if it is.</summary>
    public static string? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > HelloWorldOptionsValidator.MaxNameLength)
        {
            return $"must be 1 to {HelloWorldOptionsValidator.MaxNameLength} characters long.";
        }

        return name.Any(char.IsControl) ? "must not contain control characters." : null;
    }

    private static string? Single(IQueryCollection query, string key, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(key, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors[key] = [$"Must be given at most once, but was given {values.Count} times."];
            return null;
        }

        return values[0] ?? string.Empty;
    }

    private static string Text(IQueryCollection query, string key, string fallback, Dictionary<string, string[]> errors)
    {
        var raw = Single(query, key, errors);
        if (raw is null)
        {
            return fallback;
        }

        if (CheckName(raw) is { } error)
        {
            errors[key] = [$"Must be 1 to {HelloWorldOptionsValidator.MaxNameLength} characters without control characters; {error}"];
            return fallback;
        }

        return raw;
    }

    private static int Integer(
        IQueryCollection query, string key, int fallback, int min, int max, string? setting, Dictionary<string, string[]> errors)
    {
        var raw = Single(query, key, errors);
        if (raw is null)
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var limit = setting is null ? string.Empty : $" (the upper limit is set by {setting})";
        errors[key] = [$"Must be a whole number from {min} to {max}{limit}, but was '{Shorten(raw)}'."];
        return fallback;
    }

    private static int Parallelism(IQueryCollection query, HelloWorldOptions options, Dictionary<string, string[]> errors)
    {
        const string key = "parallelism";
        var raw = Single(query, key, errors);
        if (raw is null)
        {
            return options.EffectiveParallelism;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > options.MaxParallelism)
        {
            errors[key] = [$"Must be a whole number from 1 to {options.MaxParallelism} (the upper limit is set by HelloWorld__MaxParallelism), but was '{Shorten(raw)}'."];
            return options.EffectiveParallelism;
        }

        if (value > options.EffectiveMaxBusyWorkers)
        {
            errors[key] = [$"Must not exceed the worker budget of {options.EffectiveMaxBusyWorkers} (HelloWorld__MaxBusyWorkers): such a request could never be admitted."];
            return options.EffectiveParallelism;
        }

        return value;
    }

    /// <summary>Echoes at most 40 characters of client input back into an error.</summary>
    private static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "...");
}
