using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// The one wording of a bad setting: <c>Section:Key (environment variable Section__Key) rule.</c>,
/// so that whoever reads the start-up line knows what to change, in a file or in the pod spec.
/// </summary>
internal static class SettingErrors
{
    public static string Describe(string section, string key, string rule) =>
        $"{section}:{key} (environment variable {section}__{key}) {rule}.";

    /// <summary>
    /// Rewrites the failures of a generated <c>[OptionsValidator]</c> (each <c>"Key: rule"</c>,
    /// the rule from the attribute's ErrorMessage) into <see cref="Describe"/>'s wording.
    /// </summary>
    public static List<string> FromGenerated(string section, ValidateOptionsResult result)
    {
        var errors = new List<string>();
        foreach (var failure in result.Failures ?? [])
        {
            var colon = failure.IndexOf(": ", StringComparison.Ordinal);
            errors.Add(colon > 0
                ? Describe(section, failure[..colon], failure[(colon + 2)..].TrimEnd('.'))
                : failure);
        }

        return errors;
    }
}
