using System.Globalization;
using System.Text;

namespace HelloService.Load;

/// <summary>
/// Text that comes from a server (status line, problem details, job fields, error messages that
/// quote it), made safe for a terminal: control and format characters, which can move the cursor,
/// retitle the window or reorder what follows, become <c>?</c>, and the text is cut to one readable length.
/// </summary>
internal static class ServerText
{
    /// <summary>Long enough for any problem detail the service writes; a longer text is cut.</summary>
    public const int MaxLength = 400;

    public static string Printable(string? text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 3));
        for (var i = 0; i < text.Length; i++)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append("...");
                break;
            }

            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }

            builder.Append(IsPrintable(c) ? c : '?');
        }

        return builder.ToString();
    }

    private static bool IsPrintable(char c) => char.GetUnicodeCategory(c) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse);
}
