using Akka.Actor;
using System.Collections.Concurrent;
using System.Text;
using Akka.Cluster;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// Ownership handoff (issue 9, items 3 and 4) under real faults: when a partition's owners change, the new owners are
/// filled from every earlier owner before they vote, writes meanwhile reach every owner set, and owners that return
/// after a ring change never make a quorum read stale.
/// </summary>
public class HandoffSpec
{
    // One fill at a time and small chunks: the handoff takes long enough for reads to run while it is under way.
    private const string SlowHandoff = """
        leaderless.handoff.max-concurrent-fills = 1
        leaderless.repair.resync-chunk-bytes = 1024
        """;

    // A handoff on a loaded 2-core machine, fills one at a time, may take longer than the usual 30 s wait.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_a_node_was_cut_off_during_300_quorum_writes_and_two_nodes_joined_every_key_is_readable_at_quorum_through_every_node_during_and_after_the_handoff()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 3, ExtraConfig = SlowHandoff, WaitTimeout = Patience });
        await cluster.IsolateAsync(2);
        var keys = Enumerable.Range(0, 300).Select(i => $"key-{i}").ToArray();
        foreach (var (key, i) in keys.Select((k, i) => (k, i))) await cluster.Store(i % 2).PutAsync(key, Encoding.UTF8.GetBytes(key));
        await cluster.RejoinAsync(2);

        await cluster.JoinNewNodeAsync();
        await cluster.JoinNewNodeAsync();
        await AwaitHistoryKnownAsync(cluster);

        var movingAtFirst = cluster.RunningNodes.Max(n => cluster.Store(n).Handoffs.Count);
        await ReadEveryKeyThroughEveryNodeAsync(cluster, keys);
        await AwaitHandoffsSettledAsync(cluster);
        await ReadEveryKeyThroughEveryNodeAsync(cluster, keys);
        Assert.True(movingAtFirst > 0, "no partition was moving when the reads during the handoff began");

        // The earlier owners (nodes 0-2, which saw every move of theirs settle) drop their copies once the new owners are
        // filled, and a joiner its copies taken in from a peer's passing view of the ring, which it never saw a move for,
        // once every owner stored them (stray copies, see the README); every key stays readable, at All too.
        await AwaitOnlyOwnersHoldAsync(cluster, keys, nodes: [0, 1, 2, 3, 4]);
        await ReadEveryKeyThroughEveryNodeAsync(cluster, keys);
        foreach (var key in keys)
            Assert.True((await cluster.Store(0).GetAsync(key, new ReadOptions { Consistency = Consistency.All })).Found, $"{key} is not found at All");
    }

    [Fact]
    public async Task Two_joins_under_quorum_writes_with_a_crash_of_an_earlier_owner_during_the_handoff_lose_nothing_acknowledged()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 3, ExtraConfig = SlowHandoff, WaitTimeout = Patience });
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        // Writers on nodes 0 and 2 (node 1 crashes); each key is written once and remembered only when acknowledged.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"w{w}-{i}";
                try
                {
                    await cluster.Store(w % 2 == 0 ? 0 : 2).PutAsync(key, Encoding.UTF8.GetBytes(key));
                    acknowledged[key] = key;
                }
                catch (QuorumNotReachedException)
                {
                    // Not acknowledged (failed, or its outcome is unknown): it makes no promise.
                }
            }
        })).ToArray();

        await TestCluster.Eventually(() => acknowledged.Count >= 100, TimeSpan.FromSeconds(30), "100 acknowledged writes");
        await cluster.JoinNewNodeAsync();
        await cluster.JoinNewNodeAsync();
        await TestCluster.Eventually(() => cluster.Store(0).Handoffs.Count > 0, TimeSpan.FromSeconds(30), "a handoff under way");
        await cluster.CrashAsync(1); // an earlier owner of many moving partitions, gone in the middle of their fill
        await cluster.AwaitUnreachableAsync(1);
        var before = acknowledged.Count;
        await TestCluster.Eventually(() => acknowledged.Count >= before + 100, TimeSpan.FromSeconds(30), "100 writes acknowledged after the crash");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // The new owners cannot finish their fill without node 1 (it may hold writes nobody else has); it comes back.
        await cluster.RestartAsync(1);
        await AwaitHistoryKnownAsync(cluster);
        await AwaitHandoffsSettledAsync(cluster);
        await ReadEveryKeyThroughEveryNodeAsync(cluster, acknowledged.Keys.ToArray());
    }

    [Fact]
    public async Task When_two_owners_of_some_keys_return_after_those_keys_were_updated_at_quorum_without_them_no_quorum_read_returns_the_old_value()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 5, WaitTimeout = Patience });
        var (a, b) = (cluster.AddressOf(3), cluster.AddressOf(4));
        var store = cluster.Store(0);
        var keys = Enumerable.Range(0, 2000).Select(i => $"key-{i}")
            .Where(k => store.Topology.Current.Ring.PreferenceList(PartitionOf(store, k)) is var owners && owners.Contains(a) && owners.Contains(b))
            .Take(30).ToArray();
        Assert.NotEmpty(keys);
        // On all five owners, so that taking two of them out of the ring loses nothing acknowledged.
        foreach (var key in keys) await store.PutAsync(key, "old"u8.ToArray(), options: new WriteOptions { Consistency = Consistency.All });

        await cluster.CrashAsync(3);
        await cluster.CrashAsync(4);
        await TakeOutOfTheRingAsync(cluster, 3, 4);
        await AwaitHandoffsSettledAsync(cluster); // the new owners are filled from the one owner left
        foreach (var key in keys)
        {
            var read = await cluster.Store(1).GetAsync(key);
            await cluster.Store(1).PutAsync(key, "new"u8.ToArray(), read.Context);
        }

        await cluster.RestartAsync(3);
        await cluster.RestartAsync(4);
        await AwaitHistoryKnownAsync(cluster);
        foreach (var node in cluster.RunningNodes)
        foreach (var key in keys)
            Assert.Equal("new", Encoding.UTF8.GetString(Assert.Single((await cluster.Store(node).GetAsync(key)).Values)));
        await AwaitHandoffsSettledAsync(cluster);
        foreach (var node in cluster.RunningNodes)
        foreach (var key in keys)
            Assert.Equal("new", Encoding.UTF8.GetString(Assert.Single((await cluster.Store(node).GetAsync(key)).Values)));
    }

    /// <summary>An operator removes the crashed nodes from the ring (a downing alone no longer moves it).</summary>
    private static async Task TakeOutOfTheRingAsync(TestCluster cluster, params int[] nodes)
    {
        foreach (var node in nodes)
            await TestCluster.EventuallyAsync(async () =>
            {
                try
                {
                    await cluster.Store(0).RemoveFromRingAsync(cluster.AddressOf(node).ToString());
                    return true;
                }
                catch (RingRemovalRefusedException refused) when (refused.Reason == RingRemovalRefusal.Reachable)
                {
                    return false; // node 0 has not marked the crashed node unreachable yet
                }
            }, TimeSpan.FromSeconds(30), $"node {node} to be removed from the ring");
        await TestCluster.Eventually(() => cluster.RunningNodes.All(n => nodes.All(d => !cluster.Store(n).Ring.Members.Contains(cluster.AddressOf(d)))),
            TimeSpan.FromSeconds(30), "the crashed nodes to leave every ring");
    }

    private static int PartitionOf(LeaderlessStore store, string key) => (int)(Partitioning.KeyPartitioner.Hash(key) % (ulong)store.Settings.PartitionCount);

    /// <summary>Every running node has heard from a peer which partitions are moving (until then it refuses requests).</summary>
    private static Task AwaitHistoryKnownAsync(TestCluster cluster) => TestCluster.Eventually(
        () => cluster.RunningNodes.All(n => cluster.Store(n).Topology.Current.HistoryKnown), TimeSpan.FromSeconds(30),
        "every node to learn the moving partitions from its peers");

    private static Task AwaitHandoffsSettledAsync(TestCluster cluster) => cluster.AwaitHandoffsSettledAsync();

    /// <summary>Each of <paramref name="nodes"/> that is not an owner of a key (in its own ring) holds nothing of it in its
    /// own replica.</summary>
    private static async Task AwaitOnlyOwnersHoldAsync(TestCluster cluster, IReadOnlyList<string> keys, int[] nodes)
    {
        string? held = null;
        try
        {
            await TestCluster.EventuallyAsync(async () => (held = await CopyHeldByANonOwnerAsync(cluster, keys, nodes)) is null,
                TimeSpan.FromSeconds(60), "every earlier owner and every stray copy to be dropped");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message} Last seen: {held}", timeout);
        }
    }

    /// <summary>The first copy of a key that one of <paramref name="nodes"/> holds without owning it, described, or null.</summary>
    private static async Task<string?> CopyHeldByANonOwnerAsync(TestCluster cluster, IReadOnlyList<string> keys, int[] nodes)
    {
        foreach (var node in nodes)
        {
            var store = cluster.Store(node);
            var topology = store.Topology.Current;
            foreach (var key in keys)
            {
                var partition = PartitionOf(store, key);
                if (topology.Ring.PreferenceList(partition).Contains(topology.Self)) continue;
                var local = await topology.HostOf(topology.Self)!.Ask<Replication.KeyInspected>(
                    new Replication.InspectKey(0, partition, key), TimeSpan.FromSeconds(10));
                if (local.State.Siblings.Count == 0) continue;
                var settled = topology.History.SettledMoves.GetValueOrDefault(partition);
                return $"node {node}, not an owner of partition {partition}, still holds {key} (repair: {local.RepairReason}; " +
                       $"moving: {topology.History.MoveOf(partition) is not null}; settled here: {settled is not null})";
            }
        }
        return null;
    }

    private static async Task ReadEveryKeyThroughEveryNodeAsync(TestCluster cluster, IReadOnlyList<string> keys)
    {
        foreach (var node in cluster.RunningNodes)
        foreach (var key in keys)
        {
            var read = await cluster.Store(node).GetAsync(key);
            Assert.True(read.Found, $"{key} is not found at quorum through node {node}");
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single(read.Values)));
        }
    }
}
