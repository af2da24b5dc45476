using System.Globalization;

namespace HelloService.HelloWorld;

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
