using System.Globalization;

namespace HelloService.LoadJobs;

/// <summary>
/// The query and route values of the <c>/load</c> endpoints, checked by hand so one 400 names
/// every offending parameter, including unknown and repeated ones.
/// </summary>
internal static class LoadJobQuery
{
    private const int MaxListed = 10;

    /// <summary>Parses the whole numbers <paramref name="parameters"/> (each required) from <paramref name="query"/>, allowing no others.</summary>
    public static bool TryParse(IQueryCollection query, ReadOnlySpan<Parameter> parameters, out int[] values, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        values = new int[parameters.Length];
        var known = new string[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            known[i] = parameters[i].Name;
        }

        var unlisted = 0;
        foreach (var key in query.Keys)
        {
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                if (errors.Count < MaxListed)
                {
                    errors[key.Length == 0 ? "(empty name)" : Shorten(key)] =
                        [known.Length == 0 ? "Unknown parameter: this endpoint takes none." : $"Unknown parameter. Known parameters: {string.Join(", ", known)}."];
                }
                else
                {
                    unlisted++;
                }
            }
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, min, max, setBy, unit) = parameters[i];
            var given = query[name];
            var range = $"a whole number from {min} to {max}{(setBy is null ? string.Empty : $" (the upper limit is {setBy})")}";
            if (given.Count == 0)
            {
                errors[name] = [$"Required: {range}."];
            }
            else if (given.Count > 1)
            {
                errors[name] = [$"Must be given once, but was given {given.Count} times."];
            }
            else if (int.TryParse(given[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                values[i] = value;
            }
            else
            {
                errors[name] = [$"Must be {range}, but was '{Shorten(given[0] ?? string.Empty)}'.{UnitHint(name, unit, given[0])}"];
            }
        }

        if (unlisted > 0)
        {
            errors["(more)"] = [$"{unlisted} more parameter errors are not listed."];
        }

        return errors.Count == 0;
    }

    /// <summary>A job id from the route: a positive whole number.</summary>
    public static bool TryParseId(string raw, out long id, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return true;
        }

        errors["id"] = [$"Must be a job id (a positive whole number), but was '{Shorten(raw)}'."];
        return false;
    }

    /// <summary>For <c>850m</c> where a plain number is meant (a Kubernetes quantity, say): what to send instead.</summary>
    private static string UnitHint(string name, string? unit, string? given) =>
        unit is not null && given is { Length: > 1 } && given.EndsWith(unit, StringComparison.Ordinal) && given.Length <= 20
            && int.TryParse(given.AsSpan(0, given.Length - unit.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? $" {name} are a whole number: {number}, not {given}."
            : string.Empty;

    /// <summary>Echoes at most 40 characters of client input back into an error.</summary>
    private static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "...");

    /// <summary>
    /// A required whole-number parameter, its range, the setting that sets the upper limit, if one
    /// does, and the unit a client may wrongly append (<c>m</c>, <c>s</c>), for a hint.
    /// </summary>
    public readonly record struct Parameter(string Name, int Min, int Max, string? SetBy, string? Unit = null);
}
