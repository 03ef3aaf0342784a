using Akka.Actor;
using Akka.DistributedData;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>A 3-node cluster running one <see cref="NodeSetup"/>; clients drive the nodes that live in this process.</summary>
internal abstract class ClusterUnderTest : IAsyncDisposable
{
    /// <summary>N = 3 replicas on 3 nodes: every node holds a replica of every key.</summary>
    public const int NodeCount = 3;

    protected ClusterUnderTest(NodeSetup setup) => Setup = setup;

    public NodeSetup Setup { get; }

    /// <summary>The nodes in this process: all of them in-process, only the first with node processes.</summary>
    public abstract IReadOnlyList<ActorSystem> LocalNodes { get; }

    public abstract string Mode { get; }

    public abstract ValueTask DisposeAsync();

    public static async Task<ClusterUnderTest> StartAsync(NodeSetup setup, bool nodeProcesses, int nodes = NodeCount) =>
        nodeProcesses ? await NodeProcessCluster.StartAsync(setup, nodes) : await InProcessCluster.StartAsync(setup, nodes);

    /// <summary>Starts what <paramref name="setup"/> runs on a node; the store and DistributedData start on first use.</summary>
    public static ActorSystem StartNode(NodeSetup setup, int index, int port)
    {
        var system = ActorSystem.Create(NodeSetup.SystemName, setup.ConfigFor(index, port));
        if (setup.Storage is not null) LeaderlessStore.Get(system);
        if (setup.DistributedData) DistributedData.Get(system);
        return system;
    }

    /// <summary>Leaves the cluster gracefully, waiting a few seconds at most.</summary>
    public static async Task LeaveAsync(ActorSystem node)
    {
        try
        {
            await Akka.Cluster.Cluster.Get(node).LeaveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // It stops abruptly then; the others may log that it went away.
        }
    }

    /// <summary>
    /// Waits until the local nodes see all members up and reachable again, and returns how long that took. A workload
    /// that floods the nodes can delay heartbeats until the failure detector marks members unreachable; the next
    /// workload must not start on a cluster in that state.
    /// </summary>
    public async Task<TimeSpan> AwaitHealthyAsync(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await WaitMembersUpAsync(LocalNodes, NodeCount, timeout);
        return clock.Elapsed;
    }

    /// <summary>Waits until every node in <paramref name="systems"/> sees <paramref name="expected"/> members up and
    /// reachable.</summary>
    protected static async Task AwaitMembersUpAsync(IEnumerable<ActorSystem> systems, int expected)
    {
        if (!await WaitMembersUpAsync(systems, expected, TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"The {expected}-node cluster did not form within 60 s.");
    }

    private static async Task<bool> WaitMembersUpAsync(IEnumerable<ActorSystem> systems, int expected, TimeSpan timeout)
    {
        var clusters = systems.Select(Akka.Cluster.Cluster.Get).ToArray();
        bool AllUp() => clusters.All(c => c.State.Unreachable.Count == 0 &&
                                         c.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == expected);
        var deadline = DateTime.UtcNow + timeout;
        while (!AllUp())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }
}
