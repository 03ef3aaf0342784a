using System.Text;
using Akka.Actor;
using LeaderlessActors.Hints;
using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>Hinted handoff and sloppy quorum with real crashes and restarts: every check of a replica's own state is an
/// inspection (no read repair), so what a returning owner holds came from hints.</summary>
public class HintedHandoffSpec
{
    private static readonly TimeSpan ReplayBound = TimeSpan.FromSeconds(30);
    private static readonly WriteOptions Sloppy = new() { SloppyQuorum = true };

    [Fact]
    public async Task A_sloppy_write_with_two_of_three_owners_down_succeeds_and_after_they_return_it_is_on_all_three_owners()
    {
        await using var cluster = await TestCluster.StartAsync(4);
        // A key whose owners are nodes 1, 2 and 3, so node 0 is the fallback that takes writes through it.
        var key = KeysOwnedBy(cluster, [1, 2, 3]).First();
        await cluster.CrashAsync(2);
        await cluster.CrashAsync(3);
        await cluster.AwaitUnreachableAsync(2);
        await cluster.AwaitUnreachableAsync(3);

        var strict = await Assert.ThrowsAnyAsync<QuorumNotReachedException>(() => cluster.Store(0).PutAsync(key, "strict"u8.ToArray()));
        Assert.False(strict.IsOutcomeUnknown); // strict quorums stay the default: refused, nothing stored
        var written = await cluster.Store(0).PutAsync(key, "sloppy"u8.ToArray(), options: Sloppy);
        Assert.Equal(new[] { cluster.AddressOf(0), cluster.AddressOf(1) }.Select(a => a.ToString()).Order(), written.StoredOn.Order());

        // Together: a member that is down and not yet replaced by its new incarnation holds up the cluster's convergence,
        // and so the other's return.
        await cluster.RestartAllAsync();

        var inspection = Assert.Single(await cluster.AwaitReplicasAgreeAsync([key], from: 0, timeout: ReplayBound));
        Assert.Equal(new[] { 1, 2, 3 }.Select(i => cluster.AddressOf(i).ToString()).Order(), inspection.Replicas.Select(r => r.Node).Order());
        Assert.All(inspection.Replicas, r => Assert.Equal("sloppy", Encoding.UTF8.GetString(Assert.Single(r.Values))));
        await AwaitNoHintsAsync(cluster);
    }

    [Fact]
    public async Task Hints_survive_the_restart_of_the_node_that_holds_them()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var absent = cluster.AddressOf(2);
        await cluster.CrashAsync(2);
        await cluster.AwaitUnreachableAsync(2);
        var keys = Enumerable.Range(0, 20).Select(i => $"held-{i}").ToArray();
        foreach (var key in keys) await cluster.Store(1).PutAsync(key, Encoding.UTF8.GetBytes(key));
        await TestCluster.EventuallyAsync(async () => (await StatusOf(cluster, 1)).PendingPerTarget.GetValueOrDefault(absent) == keys.Length,
            ReplayBound, "node 1 to hold a durable hint for node 2 of every write");

        // Node 0 acknowledged every write and holds no hint, and nothing reads: only node 1's hints, read back from its
        // storage by its new incarnation, can bring the writes to node 2.
        Assert.Equal(0, (await StatusOf(cluster, 0)).Pending);
        await cluster.CrashAsync(1);
        // Nodes 1 and 2 return together, each joining node 0 (a member that is down and not yet replaced by its new
        // incarnation holds up the cluster's convergence, and so the other's return).
        await cluster.RestartAllAsync();

        await AwaitOwnReplicaHoldsAsync(cluster, 2, keys);
        await TestCluster.EventuallyAsync(async () => await StatusOf(cluster, 1) is { Pending: 0, Replayed: 20 }, ReplayBound,
            "node 1's new incarnation to replay every hint it recovered");
    }

    [Fact]
    public async Task A_node_down_while_writes_are_acknowledged_at_quorum_holds_every_write_within_a_bounded_wait_after_its_restart_with_no_client_reads()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CrashAsync(2);
        var keys = Enumerable.Range(0, 100).Select(i => $"missed-{i}").ToArray();
        // Writes start at once: the first ones reach the crashed node before it is seen unreachable, and are hinted when
        // their coordinators give up on it; the later ones are hinted because it is unreachable when planned.
        for (var i = 0; i < keys.Length; i++) await cluster.Store(i % 2).PutAsync(keys[i], Encoding.UTF8.GetBytes(keys[i]));

        await cluster.RestartAsync(2);

        await AwaitOwnReplicaHoldsAsync(cluster, 2, keys);
        await AwaitNoHintsAsync(cluster);
    }

    [Fact]
    public async Task Past_its_bound_a_nodes_hint_backlog_for_a_target_drops_new_hints_and_counts_them()
    {
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.hints.max-per-target = 5");
        var absent = cluster.AddressOf(2);
        await cluster.CrashAsync(2);
        await cluster.AwaitUnreachableAsync(2);

        for (var i = 0; i < 12; i++) await cluster.Store(0).PutAsync($"bounded-{i}", [1]);
        await cluster.Store(0).PutAsync("bounded-0", [2]); // a key it holds a hint for still merges into that hint

        HintStatus status = null!;
        await TestCluster.EventuallyAsync(async () => (status = await StatusOf(cluster, 0)).Dropped == 7, ReplayBound,
            "node 0 to drop the hints past its bound");
        Assert.Equal(5, status.PendingPerTarget[absent]);
    }

    [Fact]
    public async Task With_hints_disabled_a_node_keeps_no_hint_store_and_refuses_sloppy_writes()
    {
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.hints.enabled = off");
        Assert.True(cluster.Store(0).Hints.IsNobody());
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => cluster.Store(0).PutAsync("k", [1], options: Sloppy));
        Assert.Equal(InvalidRequestReason.SloppyQuorumUnavailable, error.Reason);
    }

    private static Task<HintStatus> StatusOf(TestCluster cluster, int node) =>
        cluster.Store(node).Hints.Ask<HintStatus>(GetHintStatus.Instance, TimeSpan.FromSeconds(10));

    /// <summary>Keys whose preference list is exactly nodes <paramref name="owners"/>.</summary>
    private static IEnumerable<string> KeysOwnedBy(TestCluster cluster, int[] owners)
    {
        var store = cluster.Store(0);
        var partitioner = new KeyPartitioner(store.Settings.PartitionCount);
        var wanted = owners.Select(cluster.AddressOf).ToHashSet();
        return Enumerable.Range(0, 100_000).Select(i => $"key-{i}")
            .Where(k => store.Topology.Current.Ring.PreferenceList(partitioner.PartitionOf(k)).ToHashSet().SetEquals(wanted));
    }

    /// <summary>Waits until node <paramref name="node"/>'s own replica of every key holds exactly the key's name as value.</summary>
    private static Task AwaitOwnReplicaHoldsAsync(TestCluster cluster, int node, string[] keys)
    {
        var address = cluster.AddressOf(node).ToString();
        var missing = keys.ToList();
        return TestCluster.EventuallyAsync(async () =>
        {
            foreach (var key in missing.ToArray())
            {
                var inspection = await cluster.Store(node).InspectAsync(key, TimeSpan.FromSeconds(2));
                if (inspection.Replicas.FirstOrDefault(r => r.Node == address) is { } own &&
                    own.Values.Select(Encoding.UTF8.GetString).SequenceEqual([key]))
                    missing.Remove(key);
            }
            return missing.Count == 0;
        }, ReplayBound, $"node {node}'s own replicas to hold every write (hints replayed)");
    }

    private static Task AwaitNoHintsAsync(TestCluster cluster) =>
        TestCluster.EventuallyAsync(async () =>
        {
            foreach (var node in cluster.RunningNodes)
                if ((await StatusOf(cluster, node)).Pending > 0) return false;
            return true;
        }, ReplayBound, "every node's hints to be delivered and deleted");
}
