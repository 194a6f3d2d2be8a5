namespace Pipeline.Host.Tests.Support;

/// <summary>A code block of the repository's README.md between &lt;!-- NAME:start --&gt; and &lt;!-- NAME:end --&gt;, without its fences: what users copy.</summary>
public static class ReadmeSnippet
{
    public static string Read(string name)
    {
        var readme = FindReadme();
        var text = File.ReadAllText(readme);
        var start = text.IndexOf($"<!-- {name}:start -->", StringComparison.Ordinal);
        var end = text.IndexOf($"<!-- {name}:end -->", StringComparison.Ordinal);
        if (start < 0 || end < start)
            throw new InvalidOperationException($"{readme} has no snippet '{name}'");
        var lines = text[start..end].Split('\n').Skip(1).Where(line => !line.StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }

    private static string FindReadme()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(folder.FullName, "Pipeline.sln")))
                return candidate;
        }
        throw new InvalidOperationException($"no README.md beside Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
