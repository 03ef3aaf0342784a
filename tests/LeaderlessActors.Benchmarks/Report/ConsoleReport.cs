using Spectre.Console;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>The results table on the console.</summary>
internal static class ConsoleReport
{
    public static void Write(BenchmarkReport report, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"LeaderlessActors benchmark: {report.Environment.ProcessorCount} cores, {report.Environment.ClusterMode}");
        foreach (var (header, numeric, _) in ResultColumns.All)
            table.AddColumn(new TableColumn(Markup.Escape(header)) { Alignment = numeric ? Justify.Right : Justify.Left });
        foreach (var row in report.Rows)
            table.AddRow(ResultColumns.All.Select(c => Markup.Escape(c.Value(row))).ToArray());
        console.Write(table);

        foreach (var t in TargetCheck.Evaluate(report.Rows))
        {
            var colour = t.Verdict switch { TargetVerdict.Met => "green", TargetVerdict.NotMet => "red", _ => "grey" };
            console.MarkupLine($"[{colour}]{Markup.Escape(TargetCheck.Describe(t.Verdict).Trim('*'))}[/] {Markup.Escape(t.Target)}: {Markup.Escape(t.Measured)}");
        }
        if (report.RemotingLimitRoundTripsPerSecond is { } limit)
            console.MarkupLine($"Remoting limit (best remoting row, round trips/s): [bold]{limit:N0}[/]");
        if (report.Scale.Count > 0)
        {
            var scale = new Table().Border(TableBorder.Rounded).Title("One node holding many keys");
            foreach (var header in ScaleColumns.Headers) scale.AddColumn(Markup.Escape(header));
            foreach (var result in report.Scale) scale.AddRow(ScaleColumns.Values(result).Select(Markup.Escape).ToArray());
            console.Write(scale);
        }
        console.MarkupLine($"Anti-entropy (bytes and time to repair the differing keys): {Markup.Escape(report.AntiEntropyBytes)}");
    }
}
