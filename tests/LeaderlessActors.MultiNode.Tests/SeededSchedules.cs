using System.Collections.Concurrent;
using LeaderlessActors.TestKit.Chaos;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// The seeded schedules CI runs on 5 nodes. Each seed runs once, with three targets side by side in the same cluster (so
/// they meet the very same faults, and the same operations drawn from the seed): the store itself, a last-writer-wins
/// register on top of it, and a target that acknowledges some writes and drops them. The specs of the store and of the
/// negative controls read their target's result from that one run. Short schedules: CI runs every seed. Three seeds, not
/// the five of earlier sessions: each costs about 40 s of CI's 30-minute budget, and the long seeded nemesis over node
/// processes (NodeNemesisSpec, with LEADERLESS_LONG_NODE_SPECS=1) runs longer schedules.
/// </summary>
public sealed class SeededRuns
{
    public const string Store = "store", LastWriterWins = "lww", Dropping = "dropping";
    public const int Nodes = 5;
    private readonly ConcurrentDictionary<int, Lazy<Task<SeededRun>>> _runs = new();

    public static TheoryData<int> Seeds => new() { 11, 37, 59 };

    public Task<SeededRun> RunAsync(int seed) => _runs.GetOrAdd(seed, s => new Lazy<Task<SeededRun>>(() => StartAsync(s))).Value;

    private static async Task<SeededRun> StartAsync(int seed)
    {
        var schedule = FaultSchedule.Generate(seed, Nodes, new FaultBounds
        {
            Duration = TimeSpan.FromSeconds(6),
            MinHold = TimeSpan.FromMilliseconds(800),
            MaxHold = TimeSpan.FromMilliseconds(2000),
            MaxNodes = Nodes + 1,
        });
        var options = new ChaosOptions
        {
            Cluster = new TestClusterOptions { Nodes = Nodes, ExtraConfig = "leaderless.storage.snapshot-every = 25" },
            Clients = 3,
        };
        var dropping = new DroppingTarget(dropEvery: 5);
        var results = await ChaosRun.CompareAsync(schedule, options, new Dictionary<string, IChaosTarget>
        {
            [Store] = LeaderlessStoreTarget.Instance,
            [LastWriterWins] = new LastWriterWinsTarget(),
            [Dropping] = dropping,
        });
        return new SeededRun(results, dropping.Dropped.ToArray());
    }
}

/// <summary>The results of one seed's run, per target, and the values the dropping target acknowledged and dropped.</summary>
public sealed record SeededRun(IReadOnlyDictionary<string, ChaosResult> Results, IReadOnlyList<string> Dropped);
