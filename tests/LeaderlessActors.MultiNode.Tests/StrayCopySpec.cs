using System.Text;
using Akka.Actor;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// Stray copies (issue 9, Safe membership): a node holding a key of a partition it does not own, and saw no move of, hands
/// it to every owner and then drops its copy. The stray is made directly: a key state merged into the replica host of a
/// node that is not an owner, as a write counted through a peer's passing view of the ring leaves it, and that no owner
/// holds (anti-entropy is off in test clusters, and nothing reads the key before the owners are checked).
/// </summary>
public class StrayCopySpec
{
    private const int StrayNode = 3;

    [Fact]
    public async Task A_key_that_only_a_non_owner_holds_reaches_every_owner_and_the_non_owner_then_drops_its_copy()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 4 });
        var (key, partition) = await MakeStrayAsync(cluster, "only on a non-owner");

        await TestCluster.EventuallyAsync(async () =>
        {
            var inspection = await cluster.Store(0).InspectAsync(key);
            return inspection.Missing.Count == 0 && inspection.Replicas.Count == 3 &&
                   inspection.Replicas.All(r => r.Values.Count == 1 && Encoding.UTF8.GetString(r.Values[0]) == "only on a non-owner");
        }, TimeSpan.FromSeconds(30), "every owner to hold the stray key");
        await TestCluster.EventuallyAsync(async () => (await InspectStrayAsync(cluster, partition, key)) is { State.Siblings.Count: 0 } held &&
            held.RepairReason == RepairNeed.Released.Reason, TimeSpan.FromSeconds(30), "the non-owner to drop its copy");

        var read = await cluster.Store(StrayNode).GetAsync(key, new ReadOptions { Consistency = Consistency.All });
        Assert.Equal("only on a non-owner", Encoding.UTF8.GetString(Assert.Single(read.Values)));
    }

    [Fact]
    public async Task With_release_moved_copies_off_a_stray_copy_stays_where_it_is()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Nodes = 4,
            ExtraConfig = """
                leaderless.handoff.release-moved-copies = off
                leaderless.repair.resync-retry-interval = 500ms
                """,
        });
        var (key, partition) = await MakeStrayAsync(cluster, "kept");

        // Nothing to await for a hand-over that must not happen: several of the host's looks (one per retry interval) pass.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var held = await InspectStrayAsync(cluster, partition, key);
        Assert.Equal("kept", Encoding.UTF8.GetString(Assert.Single(held.State.Values)));
        Assert.Null(held.RepairReason);
        Assert.All((await cluster.Store(0).InspectAsync(key)).Replicas, r => Assert.Empty(r.Versions));
    }

    /// <summary>Merges a new state of a key the stray node does not own into that node's own replica of it.</summary>
    private static async Task<(string Key, int Partition)> MakeStrayAsync(TestCluster cluster, string value)
    {
        var store = cluster.Store(StrayNode);
        var topology = store.Topology.Current;
        var key = Enumerable.Range(0, 1000).Select(i => $"stray-{i}")
            .First(k => !topology.Ring.PreferenceList(PartitionOf(store, k)).Contains(topology.Self));
        var partition = PartitionOf(store, key);
        var state = SiblingSet.Empty.Update(VersionVector.Empty, Encoding.UTF8.GetBytes(value), 0x57A7);
        var answer = await topology.HostOf(topology.Self)!.Ask<object>(new MergeKeyState(1, partition, key, state), TimeSpan.FromSeconds(10));
        Assert.IsType<KeyStored>(answer);
        return (key, partition);
    }

    private static Task<KeyInspected> InspectStrayAsync(TestCluster cluster, int partition, string key)
    {
        var topology = cluster.Store(StrayNode).Topology.Current;
        return topology.HostOf(topology.Self)!.Ask<KeyInspected>(new InspectKey(0, partition, key), TimeSpan.FromSeconds(10));
    }

    private static int PartitionOf(LeaderlessStore store, string key) =>
        (int)(Partitioning.KeyPartitioner.Hash(key) % (ulong)store.Settings.PartitionCount);
}
