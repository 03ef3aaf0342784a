using Xunit;

namespace LeaderlessActors.Tests.Readme;

/// <summary>
/// Each README ```csharp block marked <c>&lt;!-- snippet: name --&gt;</c> is the code that <see cref="ReadmeExamplesSpec"/>
/// runs in its <c>#region snippet: name</c>: the same statements (after removing the region's indentation), and every
/// using directive of the block is one of that file's.
/// </summary>
public sealed class ReadmeSnippetSpec
{
    private const string SpecFile = "tests/LeaderlessActors.Tests/Readme/ReadmeExamplesSpec.cs";

    [Theory]
    [InlineData("embedding-local")]
    [InlineData("embedding-cluster")]
    public void The_readme_example_is_the_code_the_examples_spec_runs(string snippet)
    {
        var block = ReadmeBlock(snippet);
        var usings = block.TakeWhile(line => line.StartsWith("using ", StringComparison.Ordinal) || line.Length == 0).ToList();
        var statements = Trim(block.Skip(usings.Count).ToList());
        var specLines = File.ReadAllLines(RepositoryFiles.PathOf(SpecFile));

        Assert.Equal(string.Join("\n", statements), string.Join("\n", SpecRegion(specLines, snippet)));
        Assert.All(usings.Where(line => line.Length > 0), directive => Assert.Contains(directive, specLines));
    }

    [Fact]
    public void Every_snippet_marked_in_the_readme_is_checked_here()
    {
        var marked = File.ReadAllLines(RepositoryFiles.PathOf("README.md"))
            .Where(line => line.StartsWith("<!-- snippet: ", StringComparison.Ordinal))
            .Select(line => line["<!-- snippet: ".Length..].Split(' ')[0]);
        Assert.Equal(["embedding-local", "embedding-cluster"], marked);
    }

    /// <summary>The lines of the ```csharp block that follows the README's marker of <paramref name="snippet"/>.</summary>
    private static List<string> ReadmeBlock(string snippet)
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("README.md"));
        var marker = Array.FindIndex(lines, line => line.StartsWith($"<!-- snippet: {snippet} ", StringComparison.Ordinal));
        Assert.True(marker >= 0, $"README.md has no <!-- snippet: {snippet} ... --> marker.");
        var start = Array.FindIndex(lines, marker, line => line == "```csharp");
        var end = Array.FindIndex(lines, start + 1, line => line == "```");
        return lines[(start + 1)..end].ToList();
    }

    /// <summary>The lines of the spec's <c>#region snippet: name</c>, without the region's common indentation.</summary>
    private static List<string> SpecRegion(string[] lines, string snippet)
    {
        var start = Array.FindIndex(lines, line => line.Trim() == $"#region snippet: {snippet}");
        Assert.True(start >= 0, $"{SpecFile} has no #region snippet: {snippet}.");
        var end = Array.FindIndex(lines, start + 1, line => line.Trim() == "#endregion");
        var region = lines[(start + 1)..end];
        var indent = region.Where(line => line.Trim().Length > 0).Min(line => line.Length - line.TrimStart().Length);
        return Trim(region.Select(line => line.Trim().Length == 0 ? "" : line[indent..]).ToList());
    }

    private static List<string> Trim(List<string> lines) =>
        lines.SkipWhile(line => line.Length == 0).Reverse().SkipWhile(line => line.Length == 0).Reverse().ToList();
}
