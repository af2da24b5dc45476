using System.Globalization;
using System.Text.RegularExpressions;

namespace HelloService.Load;

/// <summary>
/// The <c>Location</c> of a started load job, checked before anything is sent to it: a job path,
/// <c>/load/&lt;id&gt;</c> (or the same below the path <c>--url</c> gave, as behind <c>kubectl proxy</c>),
/// relative or on the origin of <c>--url</c>. Anything else (another host, another path, text that
/// is no URL at all) is refused, so a server cannot send the generator's requests elsewhere.
/// </summary>
internal static partial class JobLocation
{
    /// <summary>The job's URL next to <paramref name="start"/> (<c>.../load/cpu</c> or <c>.../load/memory</c>), or null and why not.</summary>
    public static Uri? Resolve(string location, Uri start, out string? refusal)
    {
        refusal = null;
        var path = location;
        if (Uri.TryCreate(location, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            if (Uri.Compare(absolute, start, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0
                || absolute.Query.Length > 0 || absolute.Fragment.Length > 0 || absolute.UserInfo.Length > 0)
            {
                refusal = $"is not on {start.GetLeftPart(UriPartial.Authority)}";
                return null;
            }

            path = absolute.AbsolutePath;
        }

        var prefix = start.AbsolutePath[..start.AbsolutePath.LastIndexOf("/load/", StringComparison.Ordinal)];
        if (JobPath().Match(path) is not { Success: true } match || (match.Groups["prefix"].Value.Length > 0 && match.Groups["prefix"].Value != prefix))
        {
            refusal = $"is not a job path like {prefix}/load/7";
            return null;
        }

        var id = long.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture);
        return new Uri(start, id.ToString(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<prefix>(/[A-Za-z0-9._~%:@!$&'()*+,;=-]+)*)/load/(?<id>[0-9]{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex JobPath();
}
