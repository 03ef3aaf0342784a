using LeaderlessActors.TestKit.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// A seeded randomized run on 3 nodes: the TestKit's clients put (without context, over a read's context, over their own
/// last write's context), delete over a read's context and read a few keys at Quorum on random nodes, while a seeded
/// schedule cuts links and crashes and restarts nodes, one fault at a time. Every operation is recorded and checked by
/// the <see cref="HistoryChecker"/>; after healing, every key is read at Quorum from every node and at All, and every
/// replica must then hold the same state. A failure prints the seed, the fault log, the violations and the replay.
/// </summary>
public sealed class ChaosSpec(ITestOutputHelper output)
{
    private static readonly FaultBounds CutsAndCrashes = new()
    {
        Duration = TimeSpan.FromSeconds(20),
        MinGap = TimeSpan.FromMilliseconds(500),
        MaxGap = TimeSpan.FromMilliseconds(1500),
        MinHold = TimeSpan.FromMilliseconds(1500),
        MaxHold = TimeSpan.FromMilliseconds(4000),
        Kinds = new HashSet<FaultKind> { FaultKind.Crash, FaultKind.CutLink },
    };

    [Theory]
    [InlineData(20251)]
    [InlineData(77)]
    public async Task Under_link_cuts_crashes_and_restarts_no_acknowledged_write_is_lost_no_delete_resurrects_and_replicas_converge(int seed)
    {
        // Frequent snapshots, so crashes also hit snapshotting and recovery from snapshot plus journal tail.
        var options = new ChaosOptions { Cluster = new TestClusterOptions { Nodes = 3, ExtraConfig = "leaderless.storage.snapshot-every = 25" } };

        var run = await ChaosRun.RunAsync(FaultSchedule.Generate(seed, 3, CutsAndCrashes), options);

        output.WriteLine(run.Report());
        run.ThrowIfViolated();
        Assert.True(run.History.Count(OperationKind.Put, OperationOutcome.Acked) >= 50 &&
                    run.History.Count(OperationKind.Delete, OperationOutcome.Acked) >= 5 &&
                    run.Count(FaultKind.Crash) >= 1 && run.Count(FaultKind.CutLink) >= 1,
            $"seed {seed}: the run exercised too little: {run.History.Summary()}");
    }
}
