using ScottPlot;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>A PNG with, for each client count, the throughput and the p99 latency of every row as horizontal bars.</summary>
internal static class ChartReport
{
    private static readonly Dictionary<string, Color> Colors = new()
    {
        ["store/memory"] = new Color(31, 119, 180),
        ["store/sqlite"] = new Color(44, 160, 44),
        ["store/sqlite-sql"] = new Color(188, 189, 34),
        ["store/postgres"] = new Color(148, 103, 189),
        ["ddata"] = new Color(255, 127, 14),
        [BenchmarkRunner.HttpSystem] = new Color(214, 39, 40),
        ["remoting"] = new Color(127, 127, 127),
    };

    public static void Save(BenchmarkReport report, string path)
    {
        // Operations that need no remote message (DistributedData local) are left out: they would dwarf the rest.
        var groups = report.Rows.Where(r => r.RemoteRoundTrips is not 0 && report.Options.Concurrency.Contains(r.Concurrency))
            .GroupBy(r => r.Concurrency).OrderBy(g => g.Key).ToList();
        var plots = groups.SelectMany(group => new[]
        {
            BarChart(group.ToList(), r => r.OpsPerSecond, $"Throughput, {group.Key} client(s): ops/s (higher is better; * = had errors)"),
            BarChart(group.ToList(), r => r.P99Ms, $"p99 latency, {group.Key} client(s): ms (lower is better)"),
        }).DefaultIfEmpty(new Plot()).ToList();
        // A new Multiplot already holds one plot: start it with the first of ours.
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1)) multiplot.AddPlot(plot);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(Math.Max(1, groups.Count), 2);
        var tallest = groups.Count == 0 ? 1 : groups.Max(g => g.Count());
        multiplot.SavePng(path, 1800, Math.Max(600, groups.Count * (120 + tallest * 22)));
    }

    private static Plot BarChart(IReadOnlyList<ResultRow> rows, Func<ResultRow, double> value, string title)
    {
        var plot = new Plot();
        var bars = rows.Select((r, i) => new Bar
        {
            Position = rows.Count - 1 - i,
            Value = double.IsFinite(value(r)) ? value(r) : 0,
            FillColor = Colors.GetValueOrDefault(r.System, new Color(0, 0, 0)),
            Orientation = Orientation.Horizontal,
        }).ToArray();
        plot.Add.Bars(bars).Horizontal = true;
        plot.Axes.Left.SetTicks(bars.Select(b => b.Position).ToArray(), rows.Select(r => r.Errors > 0 ? r.Label + " *" : r.Label).ToArray());
        plot.Axes.Margins(left: 0);
        plot.Title(title, 14);
        return plot;
    }
}
