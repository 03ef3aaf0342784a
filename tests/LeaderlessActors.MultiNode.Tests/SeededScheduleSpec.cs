using LeaderlessActors.TestKit.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// The store on 5 nodes under the seeded schedules (every kind of fault: cut, isolation, crash and restart, leave, join),
/// and the negative controls that show the checker can fail: under the very same runs, a last-writer-wins register and a
/// target that acknowledges writes it drops are both reported for lost acknowledged writes. Both are built in this
/// project on the store's public API; the product has no switch for them.
/// </summary>
public sealed class SeededScheduleSpec(SeededRuns runs, ITestOutputHelper output) : IClassFixture<SeededRuns>
{
    [Theory]
    [MemberData(nameof(SeededRuns.Seeds), MemberType = typeof(SeededRuns))]
    public async Task Under_every_kind_of_fault_on_five_nodes_no_acknowledged_write_is_lost_no_delete_resurrects_and_replicas_converge(int seed)
    {
        var run = (await runs.RunAsync(seed)).Results[SeededRuns.Store];

        output.WriteLine(run.Report());
        run.ThrowIfViolated();
        Assert.All(Enum.GetValues<FaultKind>(), kind => Assert.True(run.Count(kind) >= 1, $"seed {seed}: no {kind} ran"));
        Assert.True(run.History.Count(OperationKind.Put, OperationOutcome.Acked) >= 20,
            $"seed {seed}: the run exercised too little: {run.History.Summary()}");
    }

    [Theory]
    [MemberData(nameof(SeededRuns.Seeds), MemberType = typeof(SeededRuns))]
    public async Task A_last_writer_wins_register_is_reported_for_lost_writes_under_the_same_schedules(int seed)
    {
        var run = (await runs.RunAsync(seed)).Results[SeededRuns.LastWriterWins];

        output.WriteLine(run.Report());
        Assert.Contains(run.Violations, v => v.Text.StartsWith("lost acknowledged put"));
        var failure = Assert.Throws<HistoryViolationException>(run.ThrowIfViolated);
        Assert.Equal(seed, failure.Seed);
        Assert.Contains($"new FaultSchedule({seed}, [", failure.Message); // the replay to paste
    }

    [Theory]
    [MemberData(nameof(SeededRuns.Seeds), MemberType = typeof(SeededRuns))]
    public async Task A_target_that_acknowledges_writes_it_drops_is_caught_under_the_same_schedules(int seed)
    {
        var (results, dropped) = await runs.RunAsync(seed);
        var run = results[SeededRuns.Dropping];

        output.WriteLine(run.Report());
        Assert.NotEmpty(dropped);
        var lost = run.Violations.Where(v => v.Text.StartsWith("lost acknowledged put")).Select(v => v.Text).ToArray();
        Assert.Contains(lost, text => dropped.Any(value => text.Contains($"={value} ")));
    }
}
