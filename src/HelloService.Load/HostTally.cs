using System.Text;

namespace HelloService.Load;

/// <summary>
/// The names of the pods that answered, bounded: the first <see cref="MaxHosts"/> distinct names
/// are kept, any later one is counted as <see cref="Other"/>, so a service that answers with a
/// new name every time cannot grow the generator's memory. Names are cut to 63 characters (a
/// Kubernetes pod host name is at most 63) and stripped of control characters before printing.
/// </summary>
internal sealed class HostTally
{
    public const int MaxHosts = 64;
    public const string Other = "(other)";
    public const string Unknown = "(no host)";
    private const int MaxNameLength = 63;

    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    /// <summary>The name to count an answer under.</summary>
    public string Canonical(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return Unknown;
        }

        if (_known.TryGetValue(host, out var name))
        {
            return name;
        }

        if (_known.Count >= MaxHosts)
        {
            return Other;
        }

        name = Clean(host);
        _known[host.Length <= MaxNameLength ? host : name] = name;
        return name;
    }

    private static string Clean(string host)
    {
        var builder = new StringBuilder(Math.Min(host.Length, MaxNameLength));
        foreach (var c in host)
        {
            if (builder.Length == MaxNameLength)
            {
                break;
            }

            builder.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
