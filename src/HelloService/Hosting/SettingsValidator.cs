using Microsoft.Extensions.Options;

namespace HelloService.Hosting;

/// <summary>
/// A section's start-up checks: <typeparamref name="TRanges"/>, the section's generated
/// <c>[OptionsValidator]</c> (no reflection, AOT-safe), then the rules <see cref="CheckRules"/>
/// adds by hand, all in <see cref="SettingErrors"/>' wording.
/// </summary>
internal abstract class SettingsValidator<TOptions, TRanges>(string section) : IValidateOptions<TOptions>
    where TOptions : class
    where TRanges : IValidateOptions<TOptions>, new()
{
    private static readonly TRanges Ranges = new();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = new SettingErrors(section, Ranges.Validate(name, options), member => ValueOf(options, member));
        CheckRules(options, errors);
        return errors.Result();
    }

    /// <summary>The value of a range-checked setting, for the message.</summary>
    protected abstract object? ValueOf(TOptions options, string member);

    /// <summary>The rules that tie settings together, or that no attribute can say.</summary>
    protected abstract void CheckRules(TOptions options, SettingErrors errors);
}
