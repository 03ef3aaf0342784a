using LeaderlessActors.Benchmarks.Report;
using Xunit;

namespace LeaderlessActors.Benchmarks.Tests;

/// <summary>The targets at the top of the report are judged from the rows as the issue states them.</summary>
public class TargetCheckSpec
{
    private static ResultRow Row(string system, string operation, string level, double ops, double p99, double? vsOps = null,
        double? vsP99 = null, double? share = null, long errors = 0, double drain = 0, long unreachable = 0, int clients = 64) =>
        new(system, operation, level, clients, ops, ops, ops, 1, p99, p99, 0, 0, 0, drain, 0, 0, errors, null, 2, share,
            vsOps is null ? null : "ddata", vsOps, vsP99, [ops], unreachable);

    [Fact]
    public void A_ratio_target_needs_both_the_throughput_ratio_and_a_p99_no_worse_than_the_baseline()
    {
        var targets = TargetCheck.Evaluate(
        [
            Row("store/sqlite", "put", "quorum", 5000, 9, vsOps: 1.2, vsP99: 0.9),
            Row("store/sqlite", "get", "quorum", 5000, 9, vsOps: 1.6, vsP99: 1.1),
            Row("store/memory", "get", "quorum", 5000, 9, vsOps: 1.4, vsP99: 0.5),
        ]);

        Assert.Equal(TargetVerdict.Met, Verdict(targets, "SQLite quorum put >= 1.0x"));
        Assert.Equal(TargetVerdict.NotMet, Verdict(targets, "SQLite quorum get"));
        Assert.Equal(TargetVerdict.NotMet, Verdict(targets, "Memory quorum get >= 1.5x"));
        Assert.Equal(TargetVerdict.NotMeasured, Verdict(targets, "Memory quorum put >= 30%"));
        Assert.Equal(TargetVerdict.NotMeasured, Verdict(targets, "durable keys"));
    }

    [Fact]
    public void One_level_rows_fail_their_target_on_any_error_unreachable_event_or_a_drain_of_a_second()
    {
        TargetVerdict OneLevel(ResultRow row) => Verdict(TargetCheck.Evaluate([row]), "One-level rows");

        Assert.Equal(TargetVerdict.Met, OneLevel(Row("store/memory", "put", "one", 9000, 5, drain: 0.2)));
        Assert.Equal(TargetVerdict.NotMet, OneLevel(Row("store/memory", "put", "one", 9000, 5, errors: 1)));
        Assert.Equal(TargetVerdict.NotMet, OneLevel(Row("store/memory", "put", "one", 9000, 5, unreachable: 1)));
        Assert.Equal(TargetVerdict.NotMet, OneLevel(Row("store/memory", "put", "one", 9000, 5, drain: 1.0)));
    }

    [Fact]
    public void One_level_rows_of_the_node_processes_count_toward_the_target_though_they_measure_no_drain()
    {
        TargetVerdict OneLevel(params ResultRow[] rows) => Verdict(TargetCheck.Evaluate(rows), "One-level rows");
        var store = Row("store/memory", "put", "one", 9000, 5, drain: 0.2);

        Assert.Equal(TargetVerdict.Met, OneLevel(store, Row("http/sqlite", "put", "one", 3000, 9, drain: double.NaN)));
        Assert.Equal(TargetVerdict.NotMet, OneLevel(store, Row("http/sqlite", "get", "one", 3000, 9, drain: double.NaN, unreachable: 2)));
        Assert.Equal(TargetVerdict.NotMet, OneLevel(store, Row("http/sqlite", "put", "one", 3000, 9, drain: double.NaN, errors: 1)));
        Assert.Equal(TargetVerdict.Met, OneLevel(store, Row("http/sqlite", "put", "quorum", 3000, 9, drain: double.NaN, errors: 1)));
    }

    [Fact]
    public void The_remoting_share_target_uses_the_row_s_fraction_of_the_remoting_limit_at_the_run_s_largest_concurrency()
    {
        var targets = TargetCheck.Evaluate(
        [
            Row("store/memory", "put", "quorum", 4000, 9, share: 0.35, clients: 16),
            Row("store/memory", "get", "quorum", 4000, 9, share: 0.25, clients: 16),
        ]);

        Assert.Equal(TargetVerdict.Met, Verdict(targets, "Memory quorum put >= 30%"));
        Assert.Equal(TargetVerdict.NotMet, Verdict(targets, "Memory quorum get >= 30%"));
    }

    private static TargetVerdict Verdict(IReadOnlyList<TargetResult> targets, string startOfTarget) =>
        Assert.Single(targets, t => t.Target.Contains(startOfTarget, StringComparison.Ordinal)).Verdict;
}
