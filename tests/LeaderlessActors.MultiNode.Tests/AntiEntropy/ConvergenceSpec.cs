using Xunit;

namespace LeaderlessActors.MultiNode.Tests.AntiEntropy;

public class ConvergenceSpec
{
    [Fact]
    public async Task Every_replica_of_300_keys_written_while_a_node_was_down_agrees_within_60_seconds_of_its_restart_without_reads()
    {
        await using var cluster = await TestCluster.StartAsync(3, AntiEntropyCluster.Config);
        // Every partition holds data on node 2 before the crash, so its replicas restart with their history and do not
        // resync from their peers (as replicas that start empty do): what repairs them is anti-entropy.
        var before = Enumerable.Range(0, 100).Select(i => $"before-{i}").ToArray();
        await AntiEntropyCluster.WriteAsync(cluster, 0, before);
        await cluster.AwaitReplicasAgreeAsync(before);
        await cluster.CrashAsync(2);
        await cluster.AwaitUnreachableAsync(2);
        var keys = Enumerable.Range(0, 300).Select(i => $"down-{i}").ToArray();
        await AntiEntropyCluster.WriteAsync(cluster, 0, keys);

        await cluster.RestartAsync(2);

        // No client read touches the keys: inspections read each replica's own state and repair nothing. With N = 3 on
        // three nodes, node 2 owns every key, and hinted handoff is off (AntiEntropyCluster.Config): exchanges alone repair it.
        var agreed = await cluster.AwaitReplicasAgreeAsync(keys, timeout: TimeSpan.FromSeconds(60));
        Assert.All(agreed, inspection => Assert.All(inspection.Replicas,
            r => Assert.Equal(AntiEntropyCluster.Value(inspection.Key), Assert.Single(r.Values))));
        // What repaired them: exchanges, and no read repair or hint. The exchanges' count is not required to reach 300:
        // CI twice saw 35 of 300 with every replica agreeing. A likely cause, fixed since: an exchange stopped with its
        // worker (ShardedDaemonProcess moving workers as node 2 rejoins) lost its count. Not confirmed, so the message
        // names every path's count should it happen again.
        var repaired = AntiEntropyCluster.KeysRepaired(cluster);
        var (readRepairs, hints, resynced) = (AntiEntropyCluster.Counter(cluster, "leaderless.read_repairs"),
            AntiEntropyCluster.Counter(cluster, "leaderless.hints.replayed"), AntiEntropyCluster.Counter(cluster, "leaderless.resync.keys_received"));
        var how = $"exchanges reported {repaired} keys repaired, read repairs {readRepairs}, hints replayed {hints}, keys resynced {resynced}";
        Assert.True(repaired > 0, how);
        Assert.True(readRepairs == 0 && hints == 0, how);
    }
}
