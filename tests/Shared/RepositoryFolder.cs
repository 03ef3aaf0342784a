namespace LeaderlessActors.TestSupport;

/// <summary>The repository's root folder, found above a test's output folder: the specs that run the repository's own
/// scripts (.ci/postgres.sh, .ci/wrk.sh) find them there. Compiled into each test project that needs it (a linked file).</summary>
internal static class RepositoryFolder
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaderlessActors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LeaderlessActors.sln not found above the test folder.");
    }
}
