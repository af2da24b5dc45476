using System.Text.RegularExpressions;

namespace HelloService.Tests.Docs;

/// <summary>
/// Every relative link in the repository's markdown files leads to a file of the repository (and,
/// with a #fragment, to a heading of it): a reader never follows a dead link, and no link leaves
/// the checkout (a link to ../something outside it is dead for every other reader).
/// </summary>
public partial class MarkdownLinkTests
{
    private static readonly string[] Ignored = ["bin", "obj", "artifacts", ".git", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules"];

    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files(Repository.Root))
        {
            data.Add(Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void EveryRelativeLinkResolvesInsideTheRepository(string file)
    {
        var path = Path.Combine(Repository.Root, file);
        var broken = new List<string>();
        foreach (var target in Links(File.ReadAllText(path)))
        {
            if (UriScheme().IsMatch(target))
            {
                continue; // http(s), mailto: not a file of this repository
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var relative = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            var fragment = hash < 0 ? null : target[(hash + 1)..];
            var resolved = relative.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, relative));
            if (!resolved.StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                broken.Add($"{target}: outside the repository");
            }
            else if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (fragment is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                && !Anchors(File.ReadAllText(resolved)).Contains(fragment))
            {
                broken.Add($"{target}: no heading #{fragment} in {Path.GetFileName(resolved)}");
            }
        }

        Assert.True(broken.Count == 0, $"{file} has broken links:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void ReadmeIsReadInFiveMinutes()
    {
        var lines = File.ReadAllLines(Repository.Path("README.md")).Length;
        Assert.True(lines <= 200, $"README.md has {lines} lines; walkthroughs belong in their own files (k8s/README.md, docs/)");
    }

    [Fact]
    public void LinkCheckerFindsLinksOutsideCodeAndHeadingAnchors()
    {
        var text = "# A Title, with `code`\n[one](docs/x.md#a-title-with-code) `[not](a.md)`\n```\n[nor](b.md)\n```\n[two]: k8s/README.md\n";

        Assert.Equal(["docs/x.md#a-title-with-code", "k8s/README.md"], Links(text));
        Assert.Contains("a-title-with-code", Anchors(text));
    }

    private static IEnumerable<string> Files(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.md"))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(directory).Where(d => !Ignored.Contains(Path.GetFileName(d))))
        {
            foreach (var file in Files(sub))
            {
                yield return file;
            }
        }
    }

    /// <summary>Targets of inline links, images and reference definitions, outside code.</summary>
    private static List<string> Links(string markdown)
    {
        var prose = InlineCode().Replace(FencedCode().Replace(markdown, ""), "");
        return InlineLink().Matches(prose).Select(m => m.Groups[1].Value)
            .Concat(ReferenceDefinition().Matches(prose).Select(m => m.Groups[1].Value))
            .ToList();
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedCode().Replace(markdown, "")))
        {
            var slug = NotSlug().Replace(heading.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var unique = slug;
            for (var i = 1; !anchors.Add(unique); i++)
            {
                unique = $"{slug}-{i}";
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"^ {0,3}(```|~~~).*?^ {0,3}\1", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^#{1,6}[ \t]+(.+?)[ \t#]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\p{Mn}\p{Pc} -]")]
    private static partial Regex NotSlug();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex UriScheme();
}
