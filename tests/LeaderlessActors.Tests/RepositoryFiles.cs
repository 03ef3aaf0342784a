namespace LeaderlessActors.Tests;

/// <summary>Files of the repository the tests run from (README, approved API files), found above the test binaries.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaderlessActors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LeaderlessActors.sln not found above the test folder.");
    });

    /// <summary>The absolute path of <paramref name="relativePath"/> (with '/' separators) under the repository root.</summary>
    public static string PathOf(string relativePath) => Path.Combine(RootFolder.Value, relativePath);
}
