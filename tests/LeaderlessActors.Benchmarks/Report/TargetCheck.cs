using System.Globalization;

namespace LeaderlessActors.Benchmarks.Report;

/// <summary>One performance target of issue 12, what this run measured for it, and whether it was met.</summary>
internal sealed record TargetResult(string Target, string Measured, TargetVerdict Verdict);

internal enum TargetVerdict
{
    Met,
    NotMet,
    /// <summary>The run did not include what the target needs (a suite, a workload, the remoting baseline).</summary>
    NotMeasured,
}

/// <summary>
/// Checks a run's rows against the performance targets, so the report says at its top how far the store is from them.
/// Ratios are the benchmark's one-run ratios at 64 clients (the largest concurrency of the run when 64 is not in it).
/// </summary>
internal static class TargetCheck
{
    /// <summary>Target of the in-memory quorum rows: this fraction of the remoting limit divided by round trips per op.</summary>
    private const double RemotingShare = 0.3;

    public static IReadOnlyList<TargetResult> Evaluate(IReadOnlyList<ResultRow> rows)
    {
        var storeRows = rows.Where(r => r.System.StartsWith("store/", StringComparison.Ordinal)).ToList();
        if (storeRows.Count == 0) return [];
        var clients = storeRows.Any(r => r.Concurrency == 64) ? 64 : storeRows.Max(r => r.Concurrency);
        ResultRow? Row(string system, string operation) =>
            storeRows.FirstOrDefault(r => r.System == system && r.Operation == operation && r.Level == "quorum" && r.Concurrency == clients);

        var results = new List<TargetResult>
        {
            VersusBaseline($"SQLite quorum put >= 1.0x DistributedData WriteMajority, p99 no worse ({clients} clients)",
                Row("store/sqlite", "put"), 1.0),
            new("SQLite quorum put >= 1.5x DistributedData with durable keys (LightningDB)",
                "no baseline: Akka.DistributedData.LightningDB 1.5.75 needs LightningDB 0.16, this registry serves 0.23.1 and 0.24.0, " +
                "and with 0.23.1 the durable store fails at start (MissingMethodException)", TargetVerdict.NotMeasured),
            VersusBaseline($"Memory quorum get >= 1.5x DistributedData ReadMajority, p99 no worse ({clients} clients)",
                Row("store/memory", "get"), 1.5),
            VersusBaseline($"SQLite quorum get >= 1.5x DistributedData ReadMajority, p99 no worse ({clients} clients)",
                Row("store/sqlite", "get"), 1.5),
            ShareOfRemoting($"Memory quorum put >= {RemotingShare * 100:N0}% of remoting limit / round trips per op", Row("store/memory", "put")),
            ShareOfRemoting($"Memory quorum get >= {RemotingShare * 100:N0}% of remoting limit / round trips per op", Row("store/memory", "get")),
        };
        // The node processes' One rows (http suite) too: there the load comes over HTTP, as on a real node.
        results.Add(OneLevel(rows.Where(r => r.Level == "one" && (r.System.StartsWith("store/", StringComparison.Ordinal) ||
            r.System.StartsWith("http/", StringComparison.Ordinal))).ToList()));
        return results;
    }

    private static TargetResult VersusBaseline(string target, ResultRow? row, double ratio)
    {
        if (row?.OpsVsBaseline is not { } ops || row.P99VsBaseline is not { } p99)
            return new TargetResult(target, "not in this run (needs the store row and the ddata row)", TargetVerdict.NotMeasured);
        var met = ops >= ratio && p99 <= 1.0;
        return new TargetResult(target, $"{Format(ops)}x ops, {Format(p99)}x p99", met ? TargetVerdict.Met : TargetVerdict.NotMet);
    }

    private static TargetResult ShareOfRemoting(string target, ResultRow? row)
    {
        if (row?.FractionOfRemotingLimit is not { } share)
            return new TargetResult(target, "not in this run (needs the row and the remoting suite)", TargetVerdict.NotMeasured);
        return new TargetResult(target, $"{share * 100:N0}%", share >= RemotingShare ? TargetVerdict.Met : TargetVerdict.NotMet);
    }

    private static TargetResult OneLevel(IReadOnlyList<ResultRow> rows)
    {
        const string target = "One-level rows: zero errors, no member ever marked unreachable, drain under 1 s";
        if (rows.Count == 0) return new TargetResult(target, "no one-level row in this run", TargetVerdict.NotMeasured);
        var errors = rows.Sum(r => r.Errors);
        var unreachable = rows.Sum(r => r.UnreachableEvents);
        // The http rows measure no drain (NaN): the longest of the rows that do.
        var drain = rows.Select(r => r.DrainSeconds).Where(d => !double.IsNaN(d)).DefaultIfEmpty(0).Max();
        var met = errors == 0 && unreachable == 0 && drain < 1.0;
        return new TargetResult(target, $"{errors} errors, {unreachable} unreachable events, longest median drain {Format(drain)} s over {rows.Count} rows",
            met ? TargetVerdict.Met : TargetVerdict.NotMet);
    }

    private static string Format(double value) => ResultColumns.Number(value, "N2");

    public static string Describe(TargetVerdict verdict) => verdict switch
    {
        TargetVerdict.Met => "met",
        TargetVerdict.NotMet => "**not met**",
        _ => "not measured",
    };
}
