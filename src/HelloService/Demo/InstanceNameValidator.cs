using HelloService.Hosting;

using Microsoft.Extensions.Options;

namespace HelloService.Demo;

/// <summary>
/// <c>Server:InstanceName</c> goes into every answer's <c>host</c> and onto the demo page, so it
/// is kept to what a host or pod name is made of: a short, printable, unambiguous label.
/// </summary>
internal sealed class InstanceNameValidator : IValidateOptions<ServerOptions>
{
    public const int MaxLength = 64;

    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        IsValid(options.InstanceName)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ServerOptions.SectionName}:{nameof(ServerOptions.InstanceName)} (environment variable " +
                $"{ServerOptions.SectionName}__{nameof(ServerOptions.InstanceName)}) must be 1 to {MaxLength} characters " +
                $"among letters, digits, '.', '-' and '_', but is '{Shorten(options.InstanceName)}'.");

    public static bool IsValid(string? instanceName) =>
        instanceName is { Length: > 0 and <= MaxLength } && instanceName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static string Shorten(string? s) => s is null ? string.Empty : s.Length <= MaxLength ? s : string.Concat(s.AsSpan(0, MaxLength), "...");
}
