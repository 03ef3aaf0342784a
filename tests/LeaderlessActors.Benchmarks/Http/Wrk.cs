namespace LeaderlessActors.Benchmarks.Http;

/// <summary>Where the <c>wrk</c> load generator is, if installed: the http suite needs it, the others do not.</summary>
internal static class Wrk
{
    public const string Missing =
        "The http suite drives the nodes with wrk, which is not on the PATH. Install it (Debian/Ubuntu: apt-get install wrk) " +
        "or leave http out of --suites.";

    /// <summary>The wrk executable found on the PATH now, or null.</summary>
    public static string? Executable => Find();

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "wrk"))
        .FirstOrDefault(File.Exists);
}
