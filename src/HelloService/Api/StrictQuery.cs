using System.Globalization;

namespace HelloService.Api;

/// <summary>
/// The one set of rules for query strings, checked by hand so that one 400 names every offending
/// parameter (model binding stops at the first and lets repeated keys through): unknown and
/// repeated keys are errors, whole numbers are plain digits within a range, at most
/// <see cref="MaxListed"/> parameters are listed (the rest counted under <c>(more)</c>), and no
/// more than 40 characters of client input are echoed back.
/// </summary>
internal sealed class StrictQuery(IQueryCollection query)
{
    /// <summary>At most this many parameters are listed in one 400; the rest are counted.</summary>
    public const int MaxListed = 10;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);
    private int _unlisted;

    /// <summary>Errors by parameter so far, with <c>(more)</c> counting the ones not listed.</summary>
    public Dictionary<string, string[]> Errors
    {
        get
        {
            if (_unlisted > 0)
            {
                _errors["(more)"] = [$"{_unlisted} more parameter errors are not listed."];
            }

            return _errors;
        }
    }

    public bool IsValid => _errors.Count == 0 && _unlisted == 0;

    /// <summary>Flags every key that is not one of <paramref name="known"/> (compared without regard to case).</summary>
    public StrictQuery AllowOnly(IReadOnlyCollection<string> known)
    {
        foreach (var key in query.Keys)
        {
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                Add(key.Length == 0 ? "(empty name)" : Shorten(key),
                    known.Count == 0 ? "Unknown parameter: this endpoint takes none." : $"Unknown parameter. Known parameters: {string.Join(", ", known)}.");
            }
        }

        return this;
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent (or, an error, given more than once).</summary>
    public string? Single(string key, bool required = false)
    {
        if (!query.TryGetValue(key, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            Add(key, $"Must be given {(required ? "once" : "at most once")}, but was given {values.Count} times.");
            return null;
        }

        return values[0] ?? string.Empty;
    }

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/>
    /// when absent or wrong (<c>null</c> fallback and <paramref name="required"/>: absent is an error).
    /// <paramref name="setBy"/> names what sets the upper limit, if anything does.
    /// </summary>
    public int? Integer(string key, int? fallback, int min, int max, string? setBy, bool required = false)
    {
        var range = $"a whole number from {min} to {max}{(setBy is null ? string.Empty : $" (the upper limit is {setBy})")}";
        var raw = Single(key, required);
        if (raw is null)
        {
            if (required && !query.ContainsKey(key))
            {
                Add(key, $"Required: {range}.");
            }

            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Add(key, $"Must be {range}, but was '{Shorten(raw)}'.");
        return fallback;
    }

    public void Add(string key, string message)
    {
        if (_errors.TryGetValue(key, out var existing))
        {
            _errors[key] = [.. existing, message];
        }
        else if (_errors.Count < MaxListed)
        {
            _errors[key] = [message];
        }
        else
        {
            _unlisted++;
        }
    }

    /// <summary>Echoes at most 40 characters of client input back into an error.</summary>
    public static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "...");
}
