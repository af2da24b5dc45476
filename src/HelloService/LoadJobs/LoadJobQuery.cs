using System.Globalization;

using HelloService.Api;

namespace HelloService.LoadJobs;

/// <summary>The query and route values of the <c>/load</c> endpoints, by the rules of <see cref="StrictQuery"/>.</summary>
internal static class LoadJobQuery
{
    /// <summary>Parses the whole numbers <paramref name="parameters"/> (required unless optional: 0 when absent) from <paramref name="query"/>, allowing no others.</summary>
    public static bool TryParse(IQueryCollection query, ReadOnlySpan<Parameter> parameters, out int[] values, out Dictionary<string, string[]> errors)
    {
        var known = new string[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            known[i] = parameters[i].Name;
        }

        var found = new StrictQuery(query).AllowOnly(known);
        values = new int[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, min, max, setBy, unit, optional) = parameters[i];
            values[i] = found.Integer(name, null, min, max, setBy, required: !optional, unit) ?? 0;
        }

        errors = found.Errors;
        return found.IsValid;
    }

    /// <summary>A job id from the route: a positive whole number.</summary>
    public static bool TryParseId(string raw, out long id, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return true;
        }

        errors["id"] = [$"Must be a job id (a positive whole number), but was '{StrictQuery.Shorten(raw)}'."];
        return false;
    }

    /// <summary>
    /// A required whole-number parameter, its range, the setting that sets the upper limit, if one
    /// does, and the unit a client may wrongly append (<c>m</c>, <c>s</c>), for a hint.
    /// </summary>
    public readonly record struct Parameter(string Name, int Min, int Max, string? SetBy, string? Unit = null, bool Optional = false);
}
