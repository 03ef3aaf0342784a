using LeaderlessActors.Benchmarks.Load;
using LeaderlessActors.Benchmarks.Scale;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>Turns the repetitions of each cell into a row (medians, ops/s range) and relates rows to the baselines.</summary>
internal static class ResultSummary
{
    public static BenchmarkReport Build(RunEnvironment environment, BenchmarkOptions options,
        IReadOnlyList<(string System, string Operation, string Level, int Concurrency, double? RoundTrips, IReadOnlyList<Measurement> Reps)> cells,
        IReadOnlyList<ScaleResult> scale, string antiEntropy)
    {
        var rows = cells.Select(c => Summarize(c.System, c.Operation, c.Level, c.Concurrency, c.RoundTrips, c.Reps)).ToList();
        // The limit is the best the bare transport did at any window (normally the pipelined one).
        var limit = rows.Where(r => r.System == "remoting").Select(r => (double?)r.OpsPerSecond).Max();
        rows = rows.Select(row =>
        {
            var fraction = limit is > 0 && row.RemoteRoundTrips is > 0 ? row.OpsPerSecond * row.RemoteRoundTrips / limit : null;
            var baseline = row.System.StartsWith("store/", StringComparison.Ordinal)
                ? rows.FirstOrDefault(b => b.System == "ddata" && b.Operation == row.Operation && b.Level == BaselineLevel(row.Level) &&
                                           b.Concurrency == row.Concurrency)
                : null;
            return row with
            {
                FractionOfRemotingLimit = fraction,
                Baseline = baseline?.Label,
                OpsVsBaseline = baseline is null ? null : row.OpsPerSecond / baseline.OpsPerSecond,
                P99VsBaseline = baseline is null ? null : row.P99Ms / baseline.P99Ms,
            };
        }).ToList();
        return new BenchmarkReport(environment, options, limit, rows, scale, antiEntropy);
    }

    /// <summary>DistributedData's name for the store's level.</summary>
    private static string BaselineLevel(string level) => level switch
    {
        "one" => "local",
        "quorum" => "majority",
        _ => level,
    };

    private static ResultRow Summarize(string system, string operation, string level, int concurrency, double? roundTrips,
        IReadOnlyList<Measurement> reps)
    {
        var ops = reps.Select(r => r.OpsPerSecond).ToList();
        return new ResultRow(system, operation, level, concurrency,
            Median(ops), ops.Min(), ops.Max(),
            Median(reps.Select(r => r.PercentileMs(50))), Median(reps.Select(r => r.PercentileMs(99))), Median(reps.Select(r => r.PercentileMs(99.9))),
            Median(reps.Select(r => r.AllocatedBytesPerOp)), Median(reps.Select(r => r.RemoteMessagesPerOp)),
            Median(reps.Select(r => r.RemoteBytesPerOp)),
            Median(reps.Select(r => r.DrainSeconds)),
            Median(reps.Select(r => r.ProcessCpu)), Median(reps.Select(r => r.MachineBusy)),
            reps.Sum(r => r.Errors), reps.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            roundTrips, null, null, null, null, ops, reps.Sum(r => r.UnreachableEvents));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
