using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Domain.Tests.Docs;

// README.md and docs/*.md link into each other and into the tree; a section moved or renamed breaks them
// silently on GitHub. Every relative link must name an existing file or folder, and every #anchor a heading
// of the file it points into (GitHub's slugs), or an explicit <a id|name="…">.
public sealed class DocumentationLinksTests
{
    [Fact]
    public void ReadmeAndDocs_EveryRelativeLinkAndAnchor_Resolves()
    {
        var root = MarkdownLinks.FindRepositoryRoot();
        var files = MarkdownLinks.DocumentationFiles(root);

        var broken = MarkdownLinks.FindBrokenLinks(root, files);

        Assert.True(broken.Count == 0, "Broken documentation links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void FindBrokenLinks_WhenAFileOrAnchorIsMissing_ReportsEach()
    {
        var root = Directory.CreateTempSubdirectory("doclinks-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "README.md"), """
                # Title
                ## The `pipeline` command
                See [serving](docs/serving.md#rankings), [gone](docs/gone.md), [no anchor](docs/serving.md#nowhere),
                [here](#the-pipeline-command), [not here](#the-command), [web](https://example.com/x#y).
                ```
                [inside a fence](missing.md)
                ```
                """);
            File.WriteAllText(Path.Combine(root, "docs", "serving.md"), """
                # Serving
                ## Rankings
                ## Rankings
                [readme](../README.md#title), [second](#rankings-1), [third](#rankings-2), [code](`x`)
                ![image](../missing.png)
                """);

            var broken = MarkdownLinks.FindBrokenLinks(root, MarkdownLinks.DocumentationFiles(root));

            Assert.Equal(5, broken.Count);
            Assert.Contains(broken, b => b.Contains("docs/gone.md", StringComparison.Ordinal));
            Assert.Contains(broken, b => b.Contains("docs/serving.md#nowhere", StringComparison.Ordinal));
            Assert.Contains(broken, b => b.Contains("#the-command", StringComparison.Ordinal));
            Assert.Contains(broken, b => b.Contains("#rankings-2", StringComparison.Ordinal));
            Assert.Contains(broken, b => b.Contains("../missing.png", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // The README's layout table names every project folder, and every mermaid picture that draws the projects draws
    // each of them (test projects aside) with exactly the <ProjectReference>s of its .csproj.
    [Fact]
    public void ReadmeLayoutAndProjectPictures_MatchTheCsprojFiles()
    {
        var root = MarkdownLinks.FindRepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var projects = ProjectGraph.Read(root);

        var start = readme.IndexOf("\n## Repository layout", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Repository layout' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var layout = end < 0 ? readme[start..] : readme[start..end];
        var unlisted = projects.Keys
            .Where(p => !layout.Contains($"`{p}`", StringComparison.Ordinal) && !layout.Contains($"`{Path.GetFileName(p)}`", StringComparison.Ordinal))
            .ToList();
        var pictures = MarkdownLinks.DocumentationFiles(root)
            .SelectMany(f => ProjectGraph.Pictures(File.ReadAllLines(f), projects.Keys).Select(p => (File: Path.GetFileName(f), Picture: p)))
            .ToList();

        Assert.True(unlisted.Count == 0, "Projects missing from README.md's layout: " + string.Join(", ", unlisted));
        Assert.Contains(pictures, p => p.File == "README.md");
        var expected = projects.Where(p => !p.Key.StartsWith("tests/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.Select(r => $"{Path.GetFileName(p.Key)} --> {r}"))
            .Order(StringComparer.Ordinal).ToList();
        foreach (var (file, picture) in pictures)
        {
            var missing = projects.Keys.Where(p => !p.StartsWith("tests/", StringComparison.Ordinal))
                .Select(Path.GetFileName).Where(n => !picture.Nodes.Contains(n!)).ToList();
            Assert.True(missing.Count == 0, $"{file}: projects not drawn: {string.Join(", ", missing)}");
            Assert.Equal(expected, picture.Edges.Order(StringComparer.Ordinal).ToList());
        }
    }

    [Theory]
    [InlineData("The `pipeline` command", "the-pipeline-command")]
    [InlineData("Simulated shoppers (`pipeline simulate`)", "simulated-shoppers-pipeline-simulate")]
    [InlineData("Rehearsing the AWS deployment on one machine", "rehearsing-the-aws-deployment-on-one-machine")]
    [InlineData("What it costs", "what-it-costs")]
    [InlineData("Step 1: bootstrap, then deploy", "step-1-bootstrap-then-deploy")]
    [InlineData("snake_case and kebab-case", "snake_case-and-kebab-case")]
    [InlineData("A [linked](x.md) heading", "a-linked-heading")]
    public void Slug_FollowsGitHubRules(string heading, string expected)
    {
        Assert.Equal(expected, MarkdownLinks.Slug(heading));
    }
}

internal static partial class ProjectGraph
{
    private static readonly string[] Folders = ["lambdas", "workflows", "infra", "tools", "tests"];

    /// <summary>"folder/Name" of every project folder (and tests/load-like folders) -> names it references.</summary>
    public static Dictionary<string, List<string>> Read(string root)
    {
        var projects = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var folder in Folders.Where(f => Directory.Exists(Path.Combine(root, f))))
        {
            foreach (var dir in Directory.GetDirectories(Path.Combine(root, folder)).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(dir);
                if (name is "bin" or "obj" || name.StartsWith('.'))
                {
                    continue;
                }

                var csproj = Directory.GetFiles(dir, "*.csproj").FirstOrDefault();
                var references = csproj is null
                    ? []
                    : ProjectReference().Matches(File.ReadAllText(csproj))
                        .Select(m => Path.GetFileNameWithoutExtension(m.Groups[1].Value.Replace('\\', '/')))
                        .ToList();
                projects[$"{folder}/{name}"] = references;
            }
        }

        return projects;
    }

    /// <summary>Mermaid blocks whose nodes are labelled with project names (or folder/Name): their nodes and edges.</summary>
    public static IEnumerable<(HashSet<string> Nodes, List<string> Edges)> Pictures(string[] lines, IEnumerable<string> projectPaths)
    {
        var names = projectPaths.Select(p => Path.GetFileName(p)!).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("```mermaid", StringComparison.Ordinal))
            {
                continue;
            }

            var block = new List<string>();
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
            {
                block.Add(lines[i]);
            }

            var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in block)
            {
                var node = Node().Match(line);
                if (node.Success)
                {
                    var label = node.Groups[2].Value.Split("<br/>")[0];
                    var name = label[(label.LastIndexOf('/') + 1)..];
                    if (names.Contains(name))
                    {
                        nodes[node.Groups[1].Value] = name;
                    }
                }
            }

            if (nodes.Count < 2)
            {
                continue;
            }

            var edges = new List<string>();
            foreach (var line in block)
            {
                var parts = line.Split("-->");
                if (parts.Length != 2)
                {
                    continue;
                }

                var from = parts[0].Split('&').Select(s => s.Trim());
                var to = parts[1].Split('&').Select(s => s.Trim());
                edges.AddRange(from.Where(nodes.ContainsKey).SelectMany(f => to.Where(nodes.ContainsKey).Select(t => $"{nodes[f]} --> {nodes[t]}")));
            }

            yield return (nodes.Values.ToHashSet(StringComparer.Ordinal), edges);
        }
    }

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"^\s*([A-Za-z0-9_]+)\[""([^""]+)""\]\s*$")]
    private static partial Regex Node();
}

internal static partial class MarkdownLinks
{
    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) && File.Exists(Path.Combine(dir.FullName, "README.md")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}");
    }

    public static List<string> DocumentationFiles(string root)
    {
        var files = new List<string> { Path.Combine(root, "README.md") };
        var docs = Path.Combine(root, "docs");
        if (Directory.Exists(docs))
        {
            files.AddRange(Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        }

        return files;
    }

    /// <summary>Every broken link as "file:line: target (reason)", paths relative to <paramref name="root"/>.</summary>
    public static List<string> FindBrokenLinks(string root, IEnumerable<string> files)
    {
        var anchorsByFile = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string> AnchorsOf(string path)
        {
            if (!anchorsByFile.TryGetValue(path, out var anchors))
            {
                anchors = Anchors(File.ReadAllLines(path));
                anchorsByFile[path] = anchors;
            }

            return anchors;
        }

        var broken = new List<string>();
        foreach (var file in files)
        {
            var relativeFile = Path.GetRelativePath(root, file).Replace('\\', '/');
            var lines = File.ReadAllLines(file);
            foreach (var (lineNumber, target) in Links(lines))
            {
                if (HasScheme().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
                var resolved = pathPart.Length == 0
                    ? file
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, pathPart));

                string? reason = null;
                if (pathPart.Length > 0 && !File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    reason = "no such file";
                }
                else if (!string.IsNullOrEmpty(anchor))
                {
                    if (!resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(resolved))
                    {
                        reason = "anchor into a file that is not Markdown";
                    }
                    else if (!AnchorsOf(resolved).Contains(anchor))
                    {
                        reason = $"no heading with slug '{anchor}' in {Path.GetRelativePath(root, resolved).Replace('\\', '/')}";
                    }
                }

                if (reason is not null)
                {
                    broken.Add($"{relativeFile}:{lineNumber}: {target} ({reason})");
                }
            }
        }

        return broken;
    }

    /// <summary>GitHub's heading slug: the rendered text, lowercased, punctuation but '-' and '_' removed, spaces as '-'.</summary>
    public static string Slug(string heading)
    {
        var text = InlineLink().Replace(heading, "$1");
        text = HtmlTag().Replace(text, "");
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            var category = char.GetUnicodeCategory(c);
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c == '-' || char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    private static HashSet<string> Anchors(string[] lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, line) in OutsideFences(lines))
        {
            foreach (Match html in HtmlAnchor().Matches(line))
            {
                anchors.Add(html.Groups[1].Value);
            }

            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups[1].Value);
            var seen = counts.GetValueOrDefault(slug);
            counts[slug] = seen + 1;
            anchors.Add(seen == 0 ? slug : $"{slug}-{seen}");
        }

        return anchors;
    }

    private static IEnumerable<(int Line, string Target)> Links(string[] lines)
    {
        foreach (var (number, line) in OutsideFences(lines))
        {
            var text = CodeSpan().Replace(line, "");
            foreach (Match link in LinkTarget().Matches(text))
            {
                yield return (number, link.Groups[1].Value);
            }

            var definition = ReferenceDefinition().Match(text);
            if (definition.Success)
            {
                yield return (number, definition.Groups[1].Value);
            }
        }
    }

    private static IEnumerable<(int Line, string Text)> OutsideFences(string[] lines)
    {
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = Fence().Match(lines[i]);
            if (marker.Success)
            {
                var run = marker.Groups[1].Value;
                if (fence is null)
                {
                    fence = run;
                    continue;
                }

                if (run[0] == fence[0] && run.Length >= fence.Length && lines[i].Trim().Length == run.Length)
                {
                    fence = null;
                    continue;
                }
            }

            if (fence is null)
            {
                yield return (i + 1, lines[i]);
            }
        }
    }

    [GeneratedRegex(@"^\s{0,3}(`{3,}|~{3,})")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex CodeSpan();

    // [text](target) and ![alt](target), with an optional "title"; <target> for targets with spaces.
    [GeneratedRegex(@"\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"<a\s+(?:id|name)=""([^""]+)""")]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex HasScheme();
}
