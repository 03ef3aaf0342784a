using Spectre.Console;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>
/// The http suite needs wrk. A run that names the suite in <c>--suites</c> stops without it; the default list (every
/// suite) only skips it, so that the benchmark still runs everything else on a machine without wrk.
/// </summary>
internal static class WrkPrerequisite
{
    /// <summary>The options to run, or null when the run must stop; either way <paramref name="output"/> says why.</summary>
    /// <param name="suitesGiven">Whether <c>--suites</c> was given on the command line.</param>
    public static BenchmarkOptions? Apply(BenchmarkOptions options, bool suitesGiven, Action<string> output)
    {
        if (!options.Runs(Suite.Http) || Wrk.Executable is not null) return options;
        if (suitesGiven)
        {
            output($"[red]{Markup.Escape(Wrk.Missing)}[/]");
            return null;
        }
        output($"[yellow]Skipping the http suite. {Markup.Escape(Wrk.Missing)}[/]");
        return options with { Suites = options.Suites.Where(s => s != Suite.Http).ToList() };
    }
}
