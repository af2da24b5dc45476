using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// The one wording of a bad setting: <c>Section:Key (environment variable Section__Key) rule.</c>,
/// so that whoever reads the start-up line knows what to change, in a file or in the pod spec;
/// and the errors of one section as a validator collects them: the generated range checks first,
/// then the rules that tie settings together.
/// </summary>
internal sealed class SettingErrors
{
    private readonly string _section;
    private readonly List<string> _errors;

    /// <param name="generated">What the section's <c>[OptionsValidator]</c> found.</param>
    /// <param name="valueOf">The value of a range-checked key, for its message.</param>
    public SettingErrors(string section, ValidateOptionsResult generated, Func<string, object?> valueOf)
    {
        _section = section;
        _errors = FromGenerated(section, generated, valueOf);
    }

    /// <summary>Adds <paramref name="rule"/> (ending with the value found) for <paramref name="key"/> unless <paramref name="ok"/>.</summary>
    public void Rule(bool ok, string key, string rule)
    {
        if (!ok)
        {
            _errors.Add(Describe(_section, key, rule));
        }
    }

    public ValidateOptionsResult Result() => _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);

    /// <param name="section">The section, e.g. <c>Server</c>.</param>
    /// <param name="key">The key inside it, e.g. <c>AppPort</c> (or <c>Console:FormatterName</c>).</param>
    /// <param name="rule">What the value must be, ending with the value found: <c>must be ... (is 70000)</c>.</param>
    public static string Describe(string section, string key, string rule) =>
        $"{section}:{key} (environment variable {section}__{key.Replace(":", "__", StringComparison.Ordinal)}) {rule}.";

    /// <summary>
    /// Rewrites the failures of a generated <c>[OptionsValidator]</c> into <see cref="Describe"/>'s
    /// wording. Each reads <c>Key: The field Type.Key must be between 1 and 65535.</c>: the
    /// generator's own copy of <c>[Range]</c> ignores <c>ErrorMessage</c>, so the rule is cut out
    /// of that sentence, and <paramref name="valueOf"/> (when given) adds the value found.
    /// </summary>
    private static List<string> FromGenerated(string section, ValidateOptionsResult result, Func<string, object?> valueOf)
    {
        var errors = new List<string>();
        foreach (var failure in result.Failures ?? [])
        {
            var colon = failure.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add(failure);
                continue;
            }

            var key = failure[..colon];
            var rule = failure[(colon + 2)..].TrimEnd('.');
            var must = rule.IndexOf(" must ", StringComparison.Ordinal);
            if (rule.StartsWith("The field ", StringComparison.Ordinal) && must > 0)
            {
                rule = rule[(must + 1)..];
            }

            if (valueOf(key) is { } value)
            {
                rule += $" (is {value})";
            }

            errors.Add(Describe(section, key, rule));
        }

        return errors;
    }
}
