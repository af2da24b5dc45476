using System.Globalization;

using HelloService.Ackermann;
using HelloService.Burn;

namespace HelloService.HelloWorld;

/// <summary>
/// The query of <c>/hello-world</c>, parsed by hand so that one 400 names every offending
/// parameter (model binding stops at the first and lets repeated keys through).
/// </summary>
internal sealed record HelloWorldQuery(string Name, BurnJob Job)
{
    public static readonly string[] Parameters = ["name", "count", "cpuMs", "parallelism", "n", "m"];

    /// <summary>At most this many parameters are listed in one 400; the rest are counted.</summary>
    public const int MaxListedErrors = 10;

    private const string MoreKey = "(more)";

    /// <summary>Parses <paramref name="query"/>; on failure <paramref name="errors"/> maps each bad parameter to its message.</summary>
    public static bool TryParse(IQueryCollection query, HelloWorldOptions options, out HelloWorldQuery parsed, out Dictionary<string, string[]> errors)
    {
        var found = new Errors();
        foreach (var key in query.Keys)
        {
            if (!Parameters.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                found.Add(key.Length == 0 ? "(empty name)" : Shorten(key), $"Unknown parameter. Known parameters: {string.Join(", ", Parameters)}.");
            }
        }

        var name = ParseName(query, options.Name, found);
        var count = Integer(query, "count", null, 0, options.MaxCount, "HelloWorld__MaxCount", found);
        var cpuMs = Integer(query, "cpuMs", null, 1, options.MaxCpuMs, "HelloWorld__MaxCpuMs", found);
        var parallelism = Integer(query, "parallelism", options.DefaultParallelism, 1, options.ParallelismLimit,
            $"the smaller of HelloWorld__MaxParallelism ({options.MaxParallelism}) and the worker budget HelloWorld__MaxBusyWorkers ({options.WorkerBudget})", found);
        if (count is not null && cpuMs is not null)
        {
            const string both = "Give either count (whole computations) or cpuMs (CPU time), not both.";
            found.Add("count", both);
            found.Add("cpuMs", both);
        }

        // A cpuMs request burns small slices unless it names its own n or m.
        var slices = cpuMs is not null;
        var n = Integer(query, "n", slices ? 3 : options.N, 0, AckermannKernel.MaxN, null, found)!.Value;
        var m = Integer(query, "m", slices ? HelloWorldOptions.CpuSliceM : options.M, 0, options.MaxM, "HelloWorld__MaxM", found)!.Value;

        errors = found.ToDictionary();
        parsed = new HelloWorldQuery(name, cpuMs is { } ms
            ? BurnJob.ForCpuTime(n, m, TimeSpan.FromMilliseconds(ms), parallelism!.Value)
            : BurnJob.Computations(n, m, count ?? options.Count, parallelism!.Value));
        return errors.Count == 0;
    }

    private static string? Single(IQueryCollection query, string key, Errors errors)
    {
        if (!query.TryGetValue(key, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors.Add(key, $"Must be given at most once, but was given {values.Count} times.");
            return null;
        }

        return values[0] ?? string.Empty;
    }

    private static string ParseName(IQueryCollection query, string fallback, Errors errors)
    {
        var raw = Single(query, "name", errors);
        if (raw is null)
        {
            return fallback;
        }

        if (GreetingName.Check(raw) is { } rule)
        {
            errors.Add("name", $"The name {rule}.");
            return fallback;
        }

        return raw;
    }

    private static int? Integer(IQueryCollection query, string key, int? fallback, int min, int max, string? setBy, Errors errors)
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

        var limit = setBy is null ? string.Empty : $" (the upper limit is {setBy})";
        errors.Add(key, $"Must be a whole number from {min} to {max}{limit}, but was '{Shorten(raw)}'.");
        return fallback;
    }

    /// <summary>Echoes at most 40 characters of client input back into an error.</summary>
    private static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "...");

    /// <summary>Errors by parameter, at most <see cref="MaxListedErrors"/> listed, so a flood of bad keys gets a small answer.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, string[]> _listed = new(StringComparer.Ordinal);
        private int _unlisted;

        public void Add(string key, string message)
        {
            if (_listed.TryGetValue(key, out var existing))
            {
                _listed[key] = [.. existing, message];
            }
            else if (_listed.Count < MaxListedErrors)
            {
                _listed[key] = [message];
            }
            else
            {
                _unlisted++;
            }
        }

        public Dictionary<string, string[]> ToDictionary()
        {
            if (_unlisted > 0)
            {
                _listed[MoreKey] = [$"{_unlisted} more parameter errors are not listed."];
            }

            return _listed;
        }
    }
}

/// <summary>
/// What a name in the greeting may be: 1 to 100 characters as a reader counts them (text
/// elements, so an emoji or an accented letter is one), not only white space, and none of the
/// invisible characters that can make a greeting display differently from what it says
/// (control characters, bidirectional overrides, zero-width characters).
/// </summary>
internal static class GreetingName
{
    /// <summary>Why <paramref name="name"/> is not acceptable (a rule, without the value), or null if it is.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must have at least one visible character";
        }

        // Counting text elements of a very long string costs time: bound the UTF-16 length first.
        if (name.Length > HelloWorldOptions.MaxNameLength * 8 || new StringInfo(name).LengthInTextElements > HelloWorldOptions.MaxNameLength)
        {
            return $"must be at most {HelloWorldOptions.MaxNameLength} characters long";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                return "must not contain control characters";
            }

            if (IsInvisibleFormat(c))
            {
                return $"must not contain invisible formatting characters (found U+{(int)c:X4})";
            }
        }

        return null;
    }

    /// <summary>Bidirectional embeddings, overrides and isolates, zero-width characters and the byte-order mark.</summary>
    private static bool IsInvisibleFormat(char c) => c is (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E')
        or (>= '\u2060' and <= '\u206F') or '\uFEFF';
}
