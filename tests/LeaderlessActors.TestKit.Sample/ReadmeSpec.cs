using Xunit;

namespace MyApp.Tests;

/// <summary>The README shows <c>GuestbookSpec.cs</c> as it is here, so the example there compiles and passes as written.</summary>
public sealed class ReadmeSpec
{
    [Fact]
    public void The_readme_section_testing_your_application_holds_this_sample_verbatim()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LeaderlessActors.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var sample = File.ReadAllText(Path.Combine(root.FullName, "tests", "LeaderlessActors.TestKit.Sample", "GuestbookSpec.cs"));
        var readme = File.ReadAllText(Path.Combine(root.FullName, "README.md"));
        Assert.Contains("## Testing your application", readme);
        Assert.Contains(sample.Replace("\r\n", "\n").Trim(), readme.Replace("\r\n", "\n"));
    }
}
