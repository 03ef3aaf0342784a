using Akka.Actor;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>Every node an ActorSystem of this process, talking over real Akka.Remote TCP on 127.0.0.1.</summary>
internal sealed class InProcessCluster : ClusterUnderTest
{
    private readonly List<ActorSystem> _nodes;

    private InProcessCluster(NodeSetup setup, List<ActorSystem> nodes) : base(setup) => _nodes = nodes;

    public override IReadOnlyList<ActorSystem> LocalNodes => _nodes;

    public override string Mode => "in-process";

    public static async Task<InProcessCluster> StartAsync(NodeSetup setup, int count)
    {
        var nodes = new List<ActorSystem>();
        var cluster = new InProcessCluster(setup, nodes);
        try
        {
            for (var i = 0; i < count; i++) nodes.Add(StartNode(setup, i, port: 0));
            var seed = Akka.Cluster.Cluster.Get(nodes[0]).SelfAddress;
            foreach (var node in nodes) Akka.Cluster.Cluster.Get(node).Join(seed);
            await AwaitMembersUpAsync(nodes, count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        // Leaving first keeps the log free of the association errors an abrupt stop of every node prints.
        await Task.WhenAll(_nodes.Select(n => LeaveAsync(n)));
        await Task.WhenAll(_nodes.Select(n => n.Terminate()));
    }
}
