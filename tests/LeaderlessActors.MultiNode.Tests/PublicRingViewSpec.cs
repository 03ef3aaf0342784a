using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>The public view of placement and readiness that a host (the node's /cluster and /health) builds on.</summary>
public class PublicRingViewSpec
{
    [Fact]
    public async Task Every_node_of_a_three_node_cluster_is_ready_and_sees_three_owners_placing_each_partition_alike()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        // Ready follows the cluster's start by a moment (a node still learning which partitions move reports "starting").
        await TestCluster.Eventually(() => cluster.RunningNodes.All(n => cluster.Store(n).Health.Ready), TimeSpan.FromSeconds(30),
            "every node to report ready");
        var owners = cluster.RunningNodes.Select(cluster.AddressOf).ToHashSet();
        var lists = new List<string[]>();

        foreach (var node in cluster.RunningNodes)
        {
            var store = cluster.Store(node);
            var ring = store.Ring;
            Assert.True(store.Health.Ready, $"node {node}: {store.Health}");
            Assert.True(owners.SetEquals(ring.Members));
            Assert.Equal(owners.Order(), ring.States.Keys.Order());
            Assert.All(ring.States.Values, status => Assert.Equal(RingMemberStatus.Owner, status));
            Assert.Equal(store.Settings.PartitionCount, ring.PreferenceLists.Count);
            Assert.All(ring.PreferenceLists, replicas => Assert.True(owners.SetEquals(replicas) && replicas.Count == 3));
            // The view is the ring the store routes by.
            var routing = store.Topology.Current.Ring;
            Assert.All(Enumerable.Range(0, routing.PartitionCount), p => Assert.Equal(routing.PreferenceList(p), ring.PreferenceLists[p]));
            lists.Add(ring.PreferenceLists.Select(replicas => string.Join(",", replicas)).ToArray());
        }
        Assert.All(lists, l => Assert.Equal(lists[0], l));
    }
}
