using System.Globalization;

namespace HelloService.Load;

/// <summary>The URL a run sends to, built from <c>--url</c> and <c>--query</c> (or, for <c>--hold</c> and <c>--hold-memory</c>, the load jobs' URLs beside it).</summary>
internal static class TargetUrls
{
    /// <summary>
    /// The service's root for load jobs, from <c>--url</c>: its path, less a trailing
    /// <c>hello-world</c>, is kept, so a proxy path such as <c>kubectl proxy</c>'s works.
    /// </summary>
    public static Uri? HoldRoot(string url, List<string> errors)
    {
        if (ServiceUrl(url, errors) is not { } uri)
        {
            return null;
        }

        if (uri.Query.Length > 0)
        {
            errors.Add($"--url: '{url}' has a query; with --hold or --hold-memory it names the instance only, like http://10.1.2.3:9000");
            return null;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        path = path.EndsWith("/hello-world", StringComparison.Ordinal) ? path[..^"/hello-world".Length] : path;
        return new UriBuilder(uri) { Path = path.TrimEnd('/') + "/" }.Uri;
    }

    /// <summary><c>POST .../load/KIND?QUERY</c> below <paramref name="root"/> (from <see cref="HoldRoot"/>).</summary>
    public static Uri HoldStart(Uri root, string kind, string query) =>
        new UriBuilder(root) { Path = root.AbsolutePath + "load/" + kind, Query = query }.Uri;

    private static Uri? ServiceUrl(string url, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"--url: '{url}' is not an http:// or https:// URL like http://127.0.0.1:9000");
            return null;
        }

        return uri;
    }

    public static Uri? Target(string url, string? query, LoadMode mode, int requestCpuMs, List<string> errors)
    {
        if (ServiceUrl(url, errors) is not { } uri)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var source in new[] { uri.Query.TrimStart('?'), (query ?? string.Empty).Trim().TrimStart('?') })
        {
            parts.AddRange(source.Split('&', StringSplitOptions.RemoveEmptyEntries));
        }

        if (query is not null && (query.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || query.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add($"--query: '{query}' is not a query string like 'count=35&parallelism=1'");
            return null;
        }

        if (mode == LoadMode.Demand)
        {
            var clashing = parts.Select(p => p.Split('=')[0]).Where(k => k is "count" or "cpuMs").ToList();
            if (clashing.Count > 0)
            {
                errors.Add($"--query: {string.Join(" and ", clashing)} cannot go with a demand: each request asks for cpuMs=--request-cpu-ms");
                return null;
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cpuMs={requestCpuMs}"));
        }

        var builder = new UriBuilder(uri)
        {
            Path = uri.AbsolutePath is "" or "/" ? "/hello-world" : uri.AbsolutePath,
            Query = string.Join('&', parts),
        };
        return builder.Uri;
    }
}
