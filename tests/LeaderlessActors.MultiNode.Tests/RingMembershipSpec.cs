using Akka.Actor;
using Akka.Cluster;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// The ring changes only by intent: a crash or a downing marks an owner down and moves nothing; a graceful leave and an
/// operator's removal take a node out; a node that joins later learns the down owners from its peers.
/// </summary>
public class RingMembershipSpec
{
    // The split-brain resolver downs a crashed member 2 s after the cluster is stable, and Akka then removes it.
    private const string Downing = """
        akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
        akka.cluster.split-brain-resolver { active-strategy = keep-majority, stable-after = 2s }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static string[][] PreferenceLists(TestCluster cluster, int node)
    {
        var ring = cluster.Store(node).Topology.Current.Ring;
        return Enumerable.Range(0, ring.PartitionCount).Select(p => ring.PreferenceList(p).Select(a => a.ToString()).ToArray()).ToArray();
    }

    private static Task AwaitOutOfAkkaCluster(TestCluster cluster, int gone) => TestCluster.Eventually(() =>
            cluster.RunningNodes.All(n => Cluster.Get(cluster[n]).State.Members.All(m => m.Address != cluster.AddressOf(gone))),
        Wait, $"node {gone} to be downed and removed from the Akka cluster");

    private static async Task WriteAndReadAtQuorum(TestCluster cluster, string prefix)
    {
        for (var i = 0; i < 20; i++)
        {
            var node = cluster.RunningNodes[i % cluster.RunningNodes.Count];
            await cluster.Store(node).PutAsync($"{prefix}-{i}", [(byte)i]);
            Assert.Equal([(byte)i], Assert.Single((await cluster.Store(node).GetAsync($"{prefix}-{i}")).Values));
        }
    }

    [Fact]
    public async Task A_node_crashed_and_downed_past_stable_after_keeps_every_partition_and_quorum_writes_keep_succeeding()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 4, ExtraConfig = Downing });
        var before = PreferenceLists(cluster, 0);
        var crashed = cluster.AddressOf(3);

        await cluster.CrashAsync(3);
        await AwaitOutOfAkkaCluster(cluster, 3);

        foreach (var node in cluster.RunningNodes)
        {
            Assert.Equal(before, PreferenceLists(cluster, node));
            Assert.Equal(RingMemberStatus.Down, cluster.Store(node).Ring.States[crashed]);
            Assert.False(cluster.Store(node).Ring.IsReachable(crashed));
        }
        await WriteAndReadAtQuorum(cluster, "downed");
    }

    [Fact]
    public async Task After_an_operators_removal_of_a_dead_node_no_ring_holds_it_a_live_node_is_refused_and_reads_at_all_work_once_filled()
    {
        await using var cluster = await TestCluster.StartAsync(4);
        var dead = cluster.AddressOf(3);
        // Written on all four: node 3 owns about three quarters of them, and its partitions' new owners must be filled from
        // the survivors before a read that needs every owner can answer.
        var before = Enumerable.Range(0, 40).Select(i => $"before-removal-{i}").ToArray();
        foreach (var key in before) await cluster.Store(0).PutAsync(key, System.Text.Encoding.UTF8.GetBytes(key));
        await cluster.CrashAsync(3);
        await cluster.AwaitUnreachableAsync(3);

        var live = cluster.AddressOf(1);
        var refused = await Assert.ThrowsAsync<RingRemovalRefusedException>(() =>
            cluster.Store(0).RemoveFromRingAsync($"{live.Host}:{live.Port}"));
        Assert.Equal(RingRemovalRefusal.Reachable, refused.Reason);
        Assert.Contains(live, cluster.Store(0).Ring.Members);

        var view = await cluster.Store(0).RemoveFromRingAsync($"{dead.Host}:{dead.Port}");

        Assert.DoesNotContain(dead, view.Members);
        await TestCluster.Eventually(() => cluster.RunningNodes.All(n =>
                !cluster.Store(n).Ring.Members.Contains(dead) && !cluster.Store(n).Ring.States.ContainsKey(dead)),
            Wait, "every ring to drop the removed node");
        Assert.All(cluster.RunningNodes, n => Assert.All(PreferenceLists(cluster, n), list => Assert.DoesNotContain(dead.ToString(), list)));
        await WriteAndReadAtQuorum(cluster, "removed");

        await cluster.AwaitHandoffsSettledAsync();
        var all = new ReadOptions { Consistency = Consistency.All };
        foreach (var node in cluster.RunningNodes)
            foreach (var key in before)
                Assert.Equal(key, System.Text.Encoding.UTF8.GetString(Assert.Single((await cluster.Store(node).GetAsync(key, all)).Values)));
    }

    [Fact]
    public async Task A_graceful_leave_takes_the_node_out_of_every_ring()
    {
        await using var cluster = await TestCluster.StartAsync(4);
        var leaving = cluster.AddressOf(3);

        await cluster.LeaveAsync(3);

        foreach (var node in cluster.RunningNodes)
        {
            Assert.DoesNotContain(leaving, cluster.Store(node).Ring.Members);
            Assert.False(cluster.Store(node).Ring.States.ContainsKey(leaving));
            Assert.All(PreferenceLists(cluster, node), list => Assert.DoesNotContain(leaving.ToString(), list));
        }
        await WriteAndReadAtQuorum(cluster, "left");
    }

    [Fact]
    public async Task A_node_that_joins_after_an_owner_was_downed_learns_that_down_owner_from_its_peers()
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Nodes = 4, ExtraConfig = Downing });
        var crashed = cluster.AddressOf(3);
        await cluster.CrashAsync(3);
        await AwaitOutOfAkkaCluster(cluster, 3);

        var joined = await cluster.JoinNewNodeAsync();

        var ring = cluster.Store(joined).Ring;
        Assert.Contains(crashed, ring.Members);
        Assert.Equal(RingMemberStatus.Down, ring.States[crashed]);
        Assert.Equal(PreferenceLists(cluster, 0), PreferenceLists(cluster, joined));
    }
}
