using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>The specs that share one <see cref="ThreeNodeCluster"/>; each uses keys of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ThreeNodeCollection : ICollectionFixture<ThreeNodeCluster>
{
    public const string Name = "three node processes";
}

/// <summary>A spec of the shared cluster: <see cref="Node"/> is the HTTP client of one node.</summary>
[Collection(ThreeNodeCollection.Name)]
public abstract class ThreeNodeSpec(ThreeNodeCluster cluster)
{
    protected NodeProcesses Nodes => cluster.Nodes;

    protected HttpClient Node(int index) => cluster.Nodes.Http[index];
}
