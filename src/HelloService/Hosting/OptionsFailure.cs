namespace HelloService.Hosting;

/// <summary>
/// The wording of a configuration failure: the key, the environment variable that sets it, the
/// rule, and the value found (<c>Server:AppPort (environment variable Server__AppPort) must be a
/// port from 1 to 65535, but is 70000.</c>).
/// </summary>
internal static class OptionsFailure
{
    /// <param name="key">The configuration key, e.g. <c>Server:AppPort</c>.</param>
    public static string Message(string key, string rule, object value) =>
        $"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) {rule}, but is {value}.";

    /// <summary>
    /// Rewords a failure of a source-generated <c>[OptionsValidator]</c>, which reads
    /// <c>Member: The field Type.Member must be ...</c> (its copy of <c>[Range]</c> ignores
    /// <c>ErrorMessage</c>), into <see cref="Message"/>.
    /// </summary>
    public static string Reword(string section, string failure, Func<string, object> valueOf)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return $"{section}: {failure}";
        }

        var member = failure[..colon];
        var rule = failure[(colon + 2)..].TrimEnd('.');
        var must = rule.IndexOf(" must ", StringComparison.Ordinal);
        if (rule.StartsWith("The field ", StringComparison.Ordinal) && must > 0)
        {
            rule = rule[(must + 1)..];
        }

        return Message($"{section}:{member}", rule, valueOf(member));
    }
}
