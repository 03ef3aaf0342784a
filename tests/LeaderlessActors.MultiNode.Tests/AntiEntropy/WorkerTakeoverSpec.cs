using Xunit;

namespace LeaderlessActors.MultiNode.Tests.AntiEntropy;

public class WorkerTakeoverSpec
{
    [Fact]
    public async Task When_the_node_running_the_anti_entropy_worker_is_killed_another_node_takes_it_over_and_exchanges_continue()
    {
        // One worker, so it runs on exactly one node.
        await using var cluster = await TestCluster.StartAsync(3, AntiEntropyCluster.Config + "\nleaderless.anti-entropy.workers = 1");
        var keys = Enumerable.Range(0, 50).Select(i => $"takeover-{i}").ToArray();
        await AntiEntropyCluster.WriteAsync(cluster, 0, keys);
        var first = await WorkerNode(cluster, except: -1);
        await TestCluster.Eventually(() => cluster.Store(first).AntiEntropyStatus.Exchanges > 0, TimeSpan.FromSeconds(30),
            $"node {first}'s worker to complete an exchange");

        await cluster.CrashAsync(first);
        await cluster.AwaitUnreachableAsync(first);
        // Sharding moves the worker once the dead node is downed: by the split-brain resolver in production (after its
        // stable-after), by the operator here, as test clusters run without downing so that no slow heartbeat on a busy
        // machine downs a live node.
        Akka.Cluster.Cluster.Get(cluster[cluster.RunningNodes[0]]).Down(cluster.AddressOf(first));

        var successor = await WorkerNode(cluster, except: first);
        Assert.NotEqual(first, successor);
        await TestCluster.Eventually(() => cluster.Store(successor).AntiEntropyStatus.Exchanges > 0, TimeSpan.FromSeconds(30),
            $"node {successor}'s worker to complete an exchange");
    }

    private static async Task<int> WorkerNode(TestCluster cluster, int except)
    {
        var node = -1;
        await TestCluster.Eventually(() =>
        {
            node = cluster.RunningNodes.Where(n => n != except).FirstOrDefault(n => cluster.Store(n).AntiEntropyStatus.Workers.Contains(0), -1);
            return node >= 0;
        }, TimeSpan.FromSeconds(60), "a running node to host anti-entropy worker 0");
        return node;
    }
}
